//! Adversarial: packs (filled in by the hardening work).
