//! Words a rep reads for the names the machinery uses: what kind of work a
//! job does, and which source a briefing could not check. The host's
//! `words` module and the skills that write to reps both use these, so a
//! rep never reads an event type or a skill name.

/// What kind of work a job does, for a person: "Meeting follow-up".
pub fn event_title(event_type: &str) -> &'static str {
    match event_type {
        "meeting_ended" => "Meeting follow-up",
        "email_received" => "Email reply",
        "calendar_find_times" => "Finding meeting times",
        "proposal_generation" => "Proposal",
        "proposal_viewed" => "Proposal viewed",
        "content_retrieval" => "Content to share",
        "pre_meeting_90min" => "Meeting preparation",
        "morning_brief" => "Morning brief",
        "stale_deal_revival" => "Reviving a quiet deal",
        "coaching_digest" => "Weekly coaching",
        "campaign_check" => "Campaign check",
        "campaign_reply" => "Campaign reply",
        "campaign_action" => "Campaign decision",
        _ => "Automation",
    }
}

/// The same, inside a sentence: "meeting follow-up".
pub fn event_noun(event_type: &str) -> String {
    let title = event_title(event_type);
    let mut chars = title.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// What a briefing's step reads, for a person: "company news" (a step
/// that failed or did not run is "not checked").
pub fn source_title(step: &str) -> &'static str {
    match step {
        "pull-crm-history" => "CRM history",
        "check-previous-action-items" => "earlier action items",
        "research-company-news" => "company news",
        "research-trigger-events" => "trigger events",
        "enrich-attendees" => "attendee details",
        "match-to-crm-contact" => "the CRM contact",
        _ => "another source",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_machine_name_reaches_a_person() {
        assert_eq!(event_noun("pre_meeting_90min"), "meeting preparation");
        assert_eq!(event_title("calendar_find_times"), "Finding meeting times");
        assert_eq!(source_title("research-company-news"), "company news");
        for t in [event_title("x_y"), source_title("x-y")] {
            assert!(!t.contains('_') && !t.contains('-'), "{t}");
        }
    }
}
