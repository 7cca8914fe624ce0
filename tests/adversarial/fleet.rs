//! Adversarial: fleet (filled in by the hardening work).
