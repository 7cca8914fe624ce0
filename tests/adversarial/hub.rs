//! Adversarial: hub (filled in by the hardening work).
