//! What a `task_create` action says a task is for, when the skill that
//! proposed it knew: `create-tasks-from-actions` writes it from the
//! commitment the task came from, and the host stores it with the task so
//! the thing done elsewhere closes it (a proposal sent or accepted on the
//! deal closes its [`TaskAbout::Proposal`] tasks).

use serde::{Deserialize, Serialize};

/// What a task is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskAbout {
    /// Send the prospect the proposal (`commitment:send_proposal`).
    Proposal,
    /// Send the prospect times for the next meeting
    /// (`commitment:schedule_meeting`).
    MeetingTimes,
    /// Send the prospect material they asked for (`request:send_content`).
    Content,
}

impl TaskAbout {
    /// The name stored and shown (`proposal`, `meeting_times`, `content`).
    pub fn as_str(self) -> &'static str {
        match self {
            TaskAbout::Proposal => "proposal",
            TaskAbout::MeetingTimes => "meeting_times",
            TaskAbout::Content => "content",
        }
    }

    /// The task a commitment or request label calls for, if any.
    pub fn from_label(label: &str) -> Option<TaskAbout> {
        match label {
            "commitment:send_proposal" => Some(TaskAbout::Proposal),
            "commitment:schedule_meeting" => Some(TaskAbout::MeetingTimes),
            "request:send_content" => Some(TaskAbout::Content),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stored_name_is_the_serialised_one() {
        for about in [
            TaskAbout::Proposal,
            TaskAbout::MeetingTimes,
            TaskAbout::Content,
        ] {
            assert_eq!(
                serde_json::to_value(about).expect("serialises"),
                serde_json::json!(about.as_str())
            );
        }
        assert_eq!(TaskAbout::from_label("signal:competitive"), None);
    }
}
