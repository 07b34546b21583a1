//! Glue between the generated world bindings and a [`Skill`] implementation.
//! Used by [`export_skill!`]; not part of the stable API.

use crate::bindings::baton::skill::types as wit;
use crate::{Input, Skill};

/// Build the WIT manifest of `S`.
pub fn describe<S: Skill>() -> wit::Manifest {
    S::manifest().into_wit()
}

/// Run `S` on a WIT input and convert the result back.
pub fn run<S: Skill>(input: wit::Input) -> Result<wit::Output, wit::SkillError> {
    let input = Input::from_wit(input).map_err(|e| e.into_wit())?;
    S::run(input)
        .and_then(|out| out.into_wit())
        .map_err(|e| e.into_wit())
}

/// Export a [`Skill`] implementation as the component's `describe` and `run`.
#[macro_export]
macro_rules! export_skill {
    ($skill:ty) => {
        #[doc(hidden)]
        pub struct __BatonSkillExport;

        impl $crate::bindings::Guest for __BatonSkillExport {
            fn describe() -> $crate::bindings::baton::skill::types::Manifest {
                $crate::export::describe::<$skill>()
            }
            fn run(
                input: $crate::bindings::baton::skill::types::Input,
            ) -> ::core::result::Result<
                $crate::bindings::baton::skill::types::Output,
                $crate::bindings::baton::skill::types::SkillError,
            > {
                $crate::export::run::<$skill>(input)
            }
        }

        $crate::bindings::__export_skill_world!(__BatonSkillExport);
    };
}
