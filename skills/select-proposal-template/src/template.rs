//! A proposal template: a Markdown file whose front matter says when it
//! applies, and whose `## ` headings start its sections.
//!
//! ```text
//! ---
//! title: Renewals Hub for {{company}}
//! deal_types: new_business            # or expansion; lists are comma-separated
//! industries: logistics, any          # `any` matches anything
//! stages: discovery, demo, proposal
//! seats: 1-149                        # `150-` has no ceiling
//! features: renewals, hubspot, sso    # words looked for in the conversation
//! default: true                       # wins a tie
//! ---
//! ## Executive summary
//! {{executive_summary}}
//! ```

use baton_sdk::crm::stage_position;
use baton_sdk::proposal::{TemplateSection, mentioned};

/// A parsed template.
#[derive(Debug, Clone, PartialEq)]
pub struct Template {
    pub id: String,
    pub title: String,
    pub deal_types: Vec<String>,
    pub industries: Vec<String>,
    pub stages: Vec<String>,
    /// Smallest and largest seat count it is for.
    pub seats: Option<(u32, Option<u32>)>,
    pub features: Vec<String>,
    pub default: bool,
    pub sections: Vec<TemplateSection>,
}

/// What is known about the deal when choosing.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    pub deal_type: &'static str,
    pub stage: Option<String>,
    pub industry: Option<String>,
    pub seats: Option<u32>,
    /// The whole conversation, for the features discussed.
    pub conversation: String,
}

/// A template's fit: its score, the criteria it matched (in words) and the
/// features discussed.
#[derive(Debug, Clone, PartialEq)]
pub struct Fit {
    pub score: i32,
    pub reasons: Vec<String>,
    pub features: Vec<String>,
}

/// Features counted at most, so a long feature list cannot outvote the
/// seat range.
const MAX_FEATURE_POINTS: i32 = 4;

/// Parse the template file `id`.md.
pub fn parse(id: &str, text: &str) -> Result<Template, String> {
    let text = text.replace("\r\n", "\n");
    let rest = text
        .strip_prefix("---\n")
        .ok_or("it does not start with a `---` front matter line")?;
    let end = rest
        .find("\n---\n")
        .ok_or("its front matter has no closing `---` line")?;
    let mut t = Template {
        id: id.to_owned(),
        title: String::new(),
        deal_types: Vec::new(),
        industries: Vec::new(),
        stages: Vec::new(),
        seats: None,
        features: Vec::new(),
        default: false,
        sections: Vec::new(),
    };
    for (n, line) in rest[..end].lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (key, value) = line
            .split_once(':')
            .ok_or_else(|| format!("front matter line {}: no `key: value`", n + 2))?;
        let value = value.split(" #").next().unwrap_or("").trim();
        let list = || -> Vec<String> {
            value
                .split(',')
                .map(|v| v.trim().to_lowercase())
                .filter(|v| !v.is_empty())
                .collect()
        };
        match key.trim() {
            "title" => t.title = value.to_owned(),
            "deal_types" => t.deal_types = list(),
            "industries" => t.industries = list(),
            "stages" => t.stages = list(),
            "features" => t.features = list(),
            "default" => t.default = value == "true",
            "seats" => t.seats = Some(seat_range(value)?),
            other => return Err(format!("front matter key `{other}` is unknown")),
        }
    }
    if t.title.is_empty() {
        return Err("its front matter has no `title`".into());
    }
    t.sections = sections(&rest[end + 5..]);
    if t.sections.is_empty() {
        return Err("it has no `## ` sections".into());
    }
    Ok(t)
}

/// `1-149` or `150-`.
fn seat_range(v: &str) -> Result<(u32, Option<u32>), String> {
    let bad = || format!("seats `{v}` is not a range like `1-149` or `150-`");
    let (lo, hi) = v.split_once('-').ok_or_else(bad)?;
    let lo = lo.trim().parse().map_err(|_| bad())?;
    let hi = match hi.trim() {
        "" => None,
        h => Some(h.parse().map_err(|_| bad())?),
    };
    Ok((lo, hi))
}

/// The body's sections: each `## ` heading and the text under it.
fn sections(body: &str) -> Vec<TemplateSection> {
    let mut out: Vec<TemplateSection> = Vec::new();
    for line in body.lines() {
        if let Some(h) = line.strip_prefix("## ") {
            out.push(TemplateSection {
                heading: h.trim().to_owned(),
                body: String::new(),
            });
        } else if let Some(s) = out.last_mut() {
            s.body.push_str(line);
            s.body.push('\n');
        }
    }
    for s in &mut out {
        s.body = s.body.trim().to_owned();
    }
    out
}

fn lists(list: &[String], value: &str) -> bool {
    list.iter().any(|v| v == value)
}

/// How well `t` fits `facts`: seats in range +3 (out of range −3), the deal
/// type +2, the stage +1, the industry +1, each feature discussed +1 (at
/// most 4). `any` matches but earns nothing: it says nothing of the deal.
/// `discussed`: the features the conversation mentions, among (at least)
/// `t`'s.
fn fit(t: &Template, facts: &Facts, discussed: &[&String]) -> Fit {
    let mut fit = Fit {
        score: 0,
        reasons: Vec::new(),
        features: Vec::new(),
    };
    if let (Some(n), Some((lo, hi))) = (facts.seats, t.seats) {
        if n >= lo && hi.is_none_or(|h| n <= h) {
            fit.score += 3;
            fit.reasons.push(match hi {
                Some(h) => format!("seats: {n} is within {lo}–{h}"),
                None => format!("seats: {n} is {lo} or more"),
            });
        } else {
            fit.score -= 3;
        }
    }
    if lists(&t.deal_types, facts.deal_type) {
        fit.score += 2;
        fit.reasons
            .push(format!("deal type: {}", facts.deal_type.replace('_', " ")));
    }
    if let Some(stage) = &facts.stage {
        let at = stage_position(stage);
        if at.is_some() && t.stages.iter().any(|s| stage_position(s) == at) {
            fit.score += 1;
            fit.reasons.push(format!("stage: {stage}"));
        }
    }
    if let Some(industry) = &facts.industry
        && lists(&t.industries, &industry.to_lowercase())
    {
        fit.score += 1;
        fit.reasons.push(format!("industry: {industry}"));
    }
    fit.features = t
        .features
        .iter()
        .filter(|f| discussed.contains(f))
        .cloned()
        .collect();
    if !fit.features.is_empty() {
        fit.score += (fit.features.len() as i32).min(MAX_FEATURE_POINTS);
        fit.reasons
            .push(format!("features discussed: {}", fit.features.join(", ")));
    }
    fit
}

/// The best fit among `templates` (sorted by id): the highest score, then
/// the `default` one, then the first.
pub fn choose<'a>(templates: &'a [Template], facts: &Facts) -> Option<(&'a Template, Fit)> {
    // The conversation is read for every template's features at once
    // (whether a feature is discussed depends on it and the text alone).
    let features: Vec<String> = templates.iter().flat_map(|t| t.features.clone()).collect();
    let discussed = mentioned(&facts.conversation, &features);
    templates
        .iter()
        .map(|t| (t, fit(t, facts, &discussed)))
        .fold(None, |best: Option<(&Template, Fit)>, (t, f)| match &best {
            Some((b, bf)) if (bf.score, b.default) >= (f.score, t.default) => best,
            _ => Some((t, f)),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    const STANDARD: &str = include_str!("../data/templates/standard-saas.md");
    const ENTERPRISE: &str = include_str!("../data/templates/enterprise-multi-site.md");

    fn shipped() -> Vec<Template> {
        vec![
            parse("enterprise-multi-site", ENTERPRISE).expect("parses"),
            parse("standard-saas", STANDARD).expect("parses"),
        ]
    }

    #[test]
    fn the_shipped_templates_parse() {
        let t = shipped();
        assert_eq!(t[1].seats, Some((1, Some(149))));
        assert_eq!(t[0].seats, Some((150, None)));
        assert!(t[1].default && !t[0].default);
        assert_eq!(t[1].sections[0].heading, "Executive summary");
        assert_eq!(t[1].sections[0].body, "{{executive_summary}}");
        assert!(
            t[0].sections
                .iter()
                .any(|s| s.heading == "Security and service")
        );
    }

    #[test]
    fn seats_stage_and_features_pick_the_template() {
        let t = shipped();
        let facts = Facts {
            deal_type: "new_business",
            stage: Some("discovery".into()),
            industry: Some("Logistics".into()),
            seats: Some(40),
            conversation: "It has to sync with HubSpot and flag renewals.".into(),
        };
        let (chosen, fit) = choose(&t, &facts).expect("one");
        assert_eq!(chosen.id, "standard-saas");
        assert_eq!(
            fit.reasons,
            [
                "seats: 40 is within 1–149",
                "deal type: new business",
                "stage: discovery",
                "industry: Logistics",
                "features discussed: renewals, hubspot"
            ]
        );
        let big = Facts {
            deal_type: "expansion",
            seats: Some(400),
            conversation: "Rolling out to all sites needs SSO and a security review.".into(),
            ..facts
        };
        let (chosen, fit) = choose(&t, &big).expect("one");
        assert_eq!(chosen.id, "enterprise-multi-site");
        assert!(
            fit.reasons
                .contains(&"seats: 400 is 150 or more".to_owned())
        );
        // Nothing known: the default.
        let (chosen, _) = choose(&t, &Facts::default()).expect("one");
        assert_eq!(chosen.id, "standard-saas");
    }

    #[test]
    fn a_bad_template_is_named() {
        assert!(parse("x", "# no front matter").is_err_and(|e| e.contains("---")));
        let e = parse("x", "---\ntitle: T\ncolour: red\n---\n## A\nb\n").expect_err("bad key");
        assert!(e.contains("colour"), "{e}");
        let e = parse("x", "---\ntitle: T\nseats: lots\n---\n## A\nb\n").expect_err("bad seats");
        assert!(e.contains("lots"), "{e}");
        assert!(parse("x", "---\ntitle: T\n---\nno sections\n").is_err());
    }
}
