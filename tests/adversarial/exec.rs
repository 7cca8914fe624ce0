//! Adversarial: exec (filled in by the hardening work).
