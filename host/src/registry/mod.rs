//! Skill registry.
