//! Our own emails, written from the labelling rules with wording unlike
//! the dev set's (other trades, idioms, British and American English), to
//! catch rules that only fit the dev file. Each must be labelled right.

use classify_email_intent::classify::{Email, Relationship, classify};
use std::collections::BTreeMap;

#[rustfmt::skip]
const CASES: &[(&str, &str, &str)] = &[
    // meeting_request
    ("meeting_request", "Re: Kiln monitoring", "Fair enough, show me. Does Tuesday 11am suit? Teams is easiest for us."),
    ("meeting_request", "Walkthrough", "Could your engineer join us on site at the Leeds depot one day next week to look at the set-up?"),
    ("meeting_request", "Re: Contract signed", "Paperwork's done. Can we lock in the onboarding workshop? Send over some dates in early May."),
    ("meeting_request", "Re: Our call", "Something came up - can we bump our chat to 4pm?"),
    ("meeting_request", "Re: Intro", "Happy to chat. Here's my booking page, pick whatever suits: cal.example/jo"),
    ("meeting_request", "Demo for finance", "Our finance team would like a demo before month end. When are you free?"),
    // proposal_request
    ("proposal_request", "Re: Laundry management", "What would you charge for three sites, roughly?"),
    ("proposal_request", "RFQ 2291", "We invite you to submit a quotation for 300 handheld scanners in line with the attached spec."),
    ("proposal_request", "Re: Order form", "Legal have asked for net-60 payment terms. Could you reissue the order form with that change?"),
    ("proposal_request", "Re: Upgrade", "We'd like to move from Starter to Growth next quarter - can you send me the numbers for that?"),
    ("proposal_request", "Costs", "Could I get a rough figure for 50 users before I raise it with my MD?"),
    // needs_response
    ("needs_response", "Exports failing", "Our nightly CSV export has failed three times this week with a timeout. Can someone look into it?"),
    ("needs_response", "Pen test report", "Could you share your latest penetration test summary and SOC 2 report? Our auditors need them."),
    ("needs_response", "Invoice query", "The March invoice charges us for 40 seats but we only have 32 active. Can you correct it?"),
    ("needs_response", "Re: Rollout", "Quick one: can admins bulk-import users from a spreadsheet, or is it one at a time?"),
    ("needs_response", "Billing contact", "Who should we talk to about changing the billing address on our account?"),
    // fyi
    ("fyi", "Re: Agreement", "Signed and returned - copy attached for your files."),
    ("fyi", "Re: Proposal", "Cheers, got it. I'll take it to the ops meeting on the 12th and come back to you."),
    ("fyi", "Update", "Quick update from our side: the steering group moved to next month, so things are paused till then."),
    ("fyi", "Re: Visit on Weds", "Parking is round the back; sign in at reception and ask for Deb. See you Wednesday."),
    ("fyi", "New contact", "Please note I'm leaving the company at the end of the month. Marta Silva will take over our account."),
    // out_of_office
    ("out_of_office", "Re: Pricing", "I'm away on annual leave, returning 3 September. For urgent matters contact the front desk."),
    ("out_of_office", "Re: Demo", "Thanks for your message. I'm at a trade show all week with limited access to email and will reply on my return."),
    ("out_of_office", "Respuesta automática: Propuesta", "Estoy fuera de la oficina hasta el 10 de enero.\n\nI am out of the office until 10 January."),
    ("out_of_office", "Re: Intro", "Hi, I'm off sick today. Will pick this up when I'm back."),
    // unsubscribe
    ("unsubscribe", "Re: Quick question", "Please take us off your mailing list, we get enough of these already."),
    ("unsubscribe", "Re: Following up", "Kindly stop contacting me. I have no use for your product."),
    ("unsubscribe", "Re: Intro", "This goes to a shared support inbox. Remove this address please."),
    ("unsubscribe", "Erasure", "Please delete my personal data from your systems and confirm in writing."),
    // not_interested
    ("not_interested", "Re: Intro", "We're a five-person shop, so this is overkill for us. Thanks anyway."),
    ("not_interested", "Re: Following up", "Appreciate you checking in but we've signed a two-year deal with a competitor."),
    ("not_interested", "Re: Evaluation", "After the trial the team voted to stay on our current system. We won't be taking this further."),
    ("not_interested", "Re: Intro", "No thanks, we're sorted for now."),
    ("not_interested", "Re: Check in", "We're not going to pursue this. Best of luck."),
    // positive_interest
    ("positive_interest", "Re: Cutting waste in your kitchens", "This is something we've talked about for ages. What would rollout look like for a group of our size?"),
    ("positive_interest", "Re: Intro", "Sounds useful. Do you have a one-pager I could share with my co-founder?"),
    ("positive_interest", "Re: Webinar invite", "Count me in for the webinar - could you send the joining details?"),
    ("positive_interest", "Re: Quick idea", "Good timing actually. Adding Sam from procurement who'd want to see this."),
    ("positive_interest", "Re: Checking in", "Definitely still keen, just snowed under until after our audit. Give me a month."),
    // second round, written blind against the rules
    ("meeting_request", "Re: Reducing scrap on line 2", "Yes, let's talk. I have a gap Thursday 9-10 CET - would that be OK for a quick video call?"),
    ("meeting_request", "QBR", "Time for our quarterly business review. Can you get something in the calendar for the week of 14 July?"),
    ("meeting_request", "Re: Invitation: Kickoff", "Can't make Monday, sorry. Could we do Tuesday at the same time instead?"),
    ("meeting_request", "Re: Proposal v2", "Got the proposal, thanks. Can we jump on a call this week so you can take our CFO through the numbers?"),
    ("meeting_request", "Re: Intro", "Sure, book something in with my assistant Priti - she manages my diary."),
    ("proposal_request", "Re: Intro", "Interesting. Before anything else, what are your prices for a 20-bed care home?"),
    ("proposal_request", "Licence top-up", "We need 15 more licences before the new starters arrive. Please send an order form."),
    ("proposal_request", "Re: Renewal", "Renewal's coming up in August. Can you quote us for three years with the analytics add-on?"),
    ("proposal_request", "Budget planning", "I'm putting next year's budget together - could you give me an indicative cost for the enterprise tier?"),
    ("proposal_request", "Re: Quote", "That's a bit steep. Is there any room on the per-user price if we sign for two years? Send me a revised quote if so."),
    ("needs_response", "Login issue", "Half our team can't log in since this morning - getting an 'invalid token' error. Is there an outage?"),
    ("needs_response", "Re: Contract", "Our solicitor wants to know if the auto-renewal clause can be removed. Can you confirm?"),
    ("needs_response", "References", "As part of our due diligence, could you provide two customer references in higher education?"),
    ("needs_response", "Re: Implementation", "Thanks for the kickoff. Where do we upload the historic data files?"),
    ("needs_response", "Accessibility", "Does your portal meet WCAG 2.1 AA? We need a statement before the procurement panel."),
    ("fyi", "Re: Invoice 5521", "Payment has been scheduled for Friday's run."),
    ("fyi", "Re: Next steps", "Thanks for today, really useful session. We'll regroup internally and be in touch."),
    ("fyi", "Completed: Master Services Agreement", "All signers have completed the document. A copy is attached to this email."),
    ("fyi", "Re: Demo on Thursday", "Thursday 2pm is in the diary, invite accepted. Thanks!"),
    ("fyi", "Article", "Came across this piece on warehouse automation - thought you'd enjoy it. No reply needed."),
    ("out_of_office", "Auto-Reply: Your enquiry", "I am currently out of the office on business travel and will respond when I return on 12 May."),
    ("out_of_office", "Re: Catch up", "I've left Brightwater Ltd. This mailbox is no longer monitored; please contact info@brightwater.example."),
    ("out_of_office", "Re: Your proposal", "I'm on leave until the 30th so won't get to this before then, sorry."),
    ("out_of_office", "Away: Demo follow-up", "Thanks for your note - I'm out until Monday."),
    ("unsubscribe", "Re: Intro", "Not the right fit. Also please remove me from future mailings."),
    ("unsubscribe", "Re: Final follow up", "Don't email this address again."),
    ("unsubscribe", "Re: Newsletter", "I no longer want to receive your newsletter, please unsubscribe me."),
    ("unsubscribe", "Re: Hello", "Cease all contact with our office immediately."),
    ("not_interested", "Re: Intro", "We're a paper-based business and plan to stay that way. Thanks though."),
    ("not_interested", "Re: Next steps", "We've reviewed the options and decided to go a different way. Thanks for your help."),
    ("not_interested", "Re: Touching base", "Honestly there's no budget for this and I can't see that changing."),
    ("not_interested", "Re: Intro", "Doesn't fit our needs, sorry."),
    ("not_interested", "Re: Our evaluation", "The board has paused the project indefinitely, so please close this one out on your side."),
    ("positive_interest", "Re: Intro", "Hadn't thought of that. Could you send over a short overview I can read on the train?"),
    ("positive_interest", "Re: Quick question", "Looping in Ahmed who heads up our warehouse - Ahmed, worth a look I think."),
    ("positive_interest", "Re: Intro", "Open to learning more, but realistically not until Q3. Keep me on your radar."),
    ("positive_interest", "Re: Webinar recording", "Enjoyed the recording. Do you have anything similar for smaller teams?"),
    ("positive_interest", "Re: Thought you'd like this", "Great read. We've had exactly this problem with our couriers - how do other retailers handle it?"),
    // third round: quoting, signatures, bilingual notices and look-alikes
    ("needs_response", "Re: Demo", "Could you send me the recording of the demo? Two colleagues couldn't attend."),
    ("needs_response", "Notes", "Can you send the minutes from Tuesday's meeting? I want to check the action owners."),
    ("fyi", "Re: Meeting", "Thanks - see you on the 4th.\n\n> On Mon, Tom wrote:\n> Could we meet on the 4th at 10?"),
    ("out_of_office", "Urlaub / Holiday: Angebot", "Ich bin im Urlaub bis 2. Juni.\nI'm on holiday until 2 June."),
    ("out_of_office", "Re: Pilot", "Hello, our office is closed until 6 January for the festive break. We will respond to all messages when we return."),
    ("fyi", "Holiday hours", "Just a heads-up that we're closed 24-26 December. Nothing needed from you."),
    ("meeting_request", "Re: Intro", "OK you've piqued my interest. Free for a call Thursday afternoon?\n\n--\nLuca Bianchi\nCOO"),
    ("proposal_request", "Fwd: Supplier request", "Can you price this up for us? Details below.\n\n---------- Forwarded message ---------\nFrom: Ops <ops@client.example>\nWe need 12 units delivered to Bristol."),
    ("unsubscribe", "Re: Intro", "Wrong person, and please stop sending these.\n\nRegards,\nNoor"),
    ("not_interested", "Re: Intro", "We're tied into our current supplier until 2028, so there's nothing to talk about."),
    ("positive_interest", "Re: Intro", "Timing's not ideal but I am interested - can we pick this up in September?"),
    ("not_interested", "Re: Intro", "Nah, we're good thanks."),
    ("positive_interest", "Re: Cold storage alerts", "We lost a freezer's worth of stock last month, so yes, I'm listening. What does it involve?"),
    ("needs_response", "Question about your API", "Does the webhook retry on failure, and how many times?"),
    ("fyi", "Re: Quote", "Thanks, that all looks fine. I'll get the PO raised next week."),
    ("fyi", "Remittance advice", "This is an automated notification. A payment of $4,200.00 has been sent to your account. Please do not reply."),
    ("unsubscribe", "Re: Hi", "How did you get this address? Delete it."),
    // fourth round: more idioms per label
    ("meeting_request", "Re: Intro", "Let's find half an hour next week. Mornings are better for me."),
    ("meeting_request", "Re: Site survey", "Would it be possible for your surveyor to visit the warehouse before the end of the month?"),
    ("meeting_request", "Onboarding", "We've signed - please send a calendar invite for the kickoff to me and our IT lead."),
    ("meeting_request", "Re: Tomorrow", "Running late from another meeting - can we make it 3:30 instead of 3?"),
    ("proposal_request", "Re: Intro", "Can you give me an idea of cost for a 12-person accounts team?"),
    ("proposal_request", "Tender ref 44/B", "Please provide your fee proposal for phase 2 by noon on the 20th."),
    ("proposal_request", "Re: Intro", "Looks good. Send me a price and I'll run it past the owners."),
    ("needs_response", "Re: Security review", "Our CISO asks whether you encrypt backups at rest and where the keys are held."),
    ("needs_response", "Password reset", "The password reset emails aren't coming through for our warehouse staff. Can you help?"),
    ("needs_response", "Re: Contract", "Could you send over the signed MSA? We can't find our copy."),
    ("needs_response", "Who to contact", "Who's the best person at your end to talk to about our data migration?"),
    ("fyi", "Re: Proposal", "Received, thanks - it's with procurement now and they'll come back to you directly."),
    ("fyi", "Re: Training", "Great session today, the team got a lot out of it. Thanks again."),
    ("fyi", "Re: Friday", "Confirmed for Friday at 10. I'll bring our ops lead along."),
    ("out_of_office", "Automatic reply: Follow-up", "I'm currently on a flexible working pattern and don't work Fridays. I'll pick up your email on Monday."),
    ("out_of_office", "Re: Intro", "Thank you for your email. Please note I am now on maternity leave. For any queries please contact reception@school.example."),
    ("unsubscribe", "Re: Intro", "Please remove info@ from your list, it's our general enquiries inbox."),
    ("unsubscribe", "Re: Follow-up #3", "Enough. Unsubscribe."),
    ("not_interested", "Re: Quick question", "We already have a system that handles this and we're happy with it."),
    ("not_interested", "Re: Intro", "I don't think this is for us at the moment, thanks for thinking of us."),
    ("not_interested", "Re: Proposal", "Unfortunately we've lost the funding for this project, so we'll have to stop here."),
    ("positive_interest", "Re: Intro", "Send me something I can forward to our CFO - this could save us a lot of time."),
    ("positive_interest", "Re: Intro", "Yes, we're always looking at ways to cut admin. What do you need from me?"),
    ("positive_interest", "Re: Our new guide", "Thanks for the guide - really useful. Is there a version for the public sector?"),
    // fifth round
    ("meeting_request", "Re: Intro", "Alright, you've got 20 minutes. Grab a time in my calendar: https://cal.example/ann"),
    ("meeting_request", "Re: Revised proposal", "Can we walk through the changes together on Monday? Our procurement lead has a few points."),
    ("meeting_request", "Lunch?", "I'm in London on the 9th. Fancy lunch near your office?"),
    ("proposal_request", "Re: Intro", "Do you have a price list you could send across?"),
    ("proposal_request", "Extra module", "How much extra would the forecasting module be per month?"),
    ("proposal_request", "Re: Quote Q-88", "Could you redo the quote in euros? Our finance team is in Amsterdam."),
    ("needs_response", "Re: Onboarding", "Is there a sandbox environment we can test in before go-live?"),
    ("needs_response", "Documents", "Please send your certificate of insurance and a W-8BEN so we can onboard you as a supplier."),
    ("needs_response", "Re: Support ticket 4411", "This is still happening after the fix. Any update?"),
    ("fyi", "Re: Next steps", "All good - we'll be in touch once the budget round closes."),
    ("fyi", "Re: Order form", "Countersigned copy attached. Welcome aboard to us, I suppose!"),
    ("fyi", "Re: Catch-up", "Thanks for your time yesterday, really appreciated."),
    ("out_of_office", "Out of the office until 3 March", "I have limited connectivity while on a field visit. I will reply on my return."),
    ("out_of_office", "Re: Intro", "Absent until 14/08. For urgent matters call +44 20 7946 0000."),
    ("unsubscribe", "Re: Intro", "I've asked twice now. Take me off the list or I'll report this."),
    ("unsubscribe", "Re: Hi", "Remove."),
    ("not_interested", "Re: Intro", "We don't do anything like that here, sorry."),
    ("not_interested", "Re: Following up", "Thanks, but we'll give it a pass this time."),
    ("not_interested", "Re: Intro", "Thanks but no. We've got this covered in-house."),
    ("positive_interest", "Re: Intro", "Yes - this is a real pain point for us right now. Happy to learn more."),
    ("positive_interest", "Re: Intro", "Nice timing, we're reviewing suppliers in the autumn. Keep in touch."),
    ("positive_interest", "Re: Guide to cutting churn", "Loved the guide. Are there any customers in hospitality using this?"),
    // sixth round: look-alikes across labels
    ("fyi", "Re: Pricing", "Thanks for the pricing. I'll share it with the committee on Thursday."),
    ("needs_response", "Re: Quote", "Quick check on the quote you sent - is VAT included in the total?"),
    ("fyi", "Re: Call Tuesday", "Tuesday 10am works for me - invite accepted, see you then."),
    ("meeting_request", "Re: Call Tuesday", "Tuesday is tricky now. Could we do Wednesday at 10 instead?"),
    ("positive_interest", "Re: Intro", "Not right now - we're mid-migration - but genuinely interested for Q1. Ping me in January?"),
    ("not_interested", "Re: Intro", "Not right now. We'll reach out if that changes."),
    ("unsubscribe", "Re: Intro", "Not interested and please don't email me again."),
    ("out_of_office", "Automatic reply: Unsubscribe request", "I'm out of the office until Monday and will respond then."),
    ("fyi", "Office move", "FYI we're moving offices on the 1st - new address for deliveries is below. No action needed."),
    ("needs_response", "Re: Kickoff", "Thanks for the kickoff slides. Could you also share the data mapping template?"),
    ("positive_interest", "Re: Intro", "Could be interesting. Can you send a case study from a company our size?"),
    ("meeting_request", "Re: Intro", "Could be interesting. Can you do a quick demo for me and my ops manager next Tuesday?"),
    ("proposal_request", "Re: Intro", "Could be interesting. Can you send a quote for 8 vans?"),
    ("not_interested", "Re: Our proposal", "We've decided to keep things as they are for now. Thanks for all your work on this."),
    ("fyi", "Re: Contract", "Just letting you know our legal team has signed off. The signed copy will follow from DocuSign."),
    ("needs_response", "Re: Renewal", "Before we renew, can you tell me what's changed in the product this year?"),
    ("out_of_office", "Re: Meeting next week", "I'm on jury duty all next week, so won't be able to meet. Back on the 20th."),
    ("meeting_request", "Re: Meeting next week", "I'm on jury duty all next week - could we move our meeting to the week after?"),
    // seventh round: full-format emails with greetings, sign-offs, quotes
    ("meeting_request", "Re: Energy monitoring for Hollis Mills", "Dear Priya,\n\nThank you for your email. We are indeed reviewing our energy contracts this year. Would you be available for a short Teams meeting on 3 or 4 April, any time after 10:00?\n\nKind regards,\n\nGeoffrey Hollis\nManaging Director\nHollis Mills Ltd\nTel: 01632 960123\n\nOn Mon, 24 Mar 2025 at 08:12, Priya Nair <priya@wattwise.example> wrote:\n> Dear Geoffrey,\n> Mills like yours typically save 12% on energy with WattWise.\n> Could I show you how in 20 minutes?"),
    ("proposal_request", "Re: Fleet cameras", "Hi Dan,\n\nThanks for the info pack. We run 42 vehicles across two depots. Can you put some numbers together for the dual-facing cameras, including install?\n\nCheers,\nMo\n\nSent from Outlook for iOS"),
    ("needs_response", "Re: Go-live checklist", "Hi both,\n\nA couple of things from our side before Monday:\n1. Can the supervisor role approve timesheets?\n2. Where do we set the overtime rules?\n\nThanks,\nBec\n--\nRebecca Oduya | Payroll Lead"),
    ("fyi", "Re: Thursday's visit", "Hi Sam,\n\nJust confirming the address is Unit 4, Hale Park. There's visitor parking by the gatehouse.\n\nSee you Thursday,\nJo"),
    ("out_of_office", "Automatische Antwort: Ihr Angebot", "Sehr geehrte Damen und Herren,\n\nvielen Dank für Ihre Nachricht. Ich bin bis zum 28.03. im Urlaub und habe keinen Zugriff auf meine E-Mails.\n\nDear Sir or Madam, thank you for your message. I am on holiday until 28 March with no access to email."),
    ("out_of_office", "Réponse automatique : Proposition", "Bonjour,\nJe suis en congé jusqu'au 5 mai.\nHello, I am on leave until 5 May.\nCordialement"),
    ("unsubscribe", "Re: Helping Fenwick scale", "Hi,\n\nPlease could you remove me from your mailing list? This isn't relevant to my role.\n\nMany thanks,\nAlex"),
    ("not_interested", "Re: Helping Fenwick scale", "Hi Tom,\n\nThanks for reaching out. We reviewed a few tools in this space last year and decided it wasn't worth the switch for us.\n\nAll the best,\nAlex"),
    ("positive_interest", "Re: Helping Fenwick scale", "Hi Tom,\n\nThanks for reaching out - your timing is spot on, we're just starting to look at this. Could you send over some more details on how it works for agencies?\n\nAll the best,\nAlex"),
    // eighth round: terse, colloquial and non-native phrasing
    ("meeting_request", "Re: Intro", "ok lets talk. wed 2pm?"),
    ("meeting_request", "Re: Intro", "Please kindly arrange a meeting with our technical team at your earliest convenience."),
    ("meeting_request", "Re: Demo", "Can you show the tool to my boss too? She's free Monday after lunch."),
    ("meeting_request", "Reschedule", "Apologies, I need to reschedule tomorrow's session. What does Friday look like for you?"),
    ("proposal_request", "Re: Intro", "what's this gonna cost me for 3 locations?"),
    ("proposal_request", "Inquiry", "Kindly send us your offer with prices for 500 units including shipping to Rotterdam."),
    ("proposal_request", "Re: Quote", "Can we get the annual prepay option priced as well?"),
    ("needs_response", "Re: Account", "hey, how do I add a new user? can't find the button"),
    ("needs_response", "Statement", "We have received two invoices for the same month. Please advise which one to pay."),
    ("needs_response", "Re: Trial", "Our trial ends Friday - can it be extended by a week? Still testing the integrations."),
    ("fyi", "Re: Intro call", "Appreciate the call today. We'll digest and revert in due course."),
    ("fyi", "Re: Signed", "Done - signed on our end via DocuSign."),
    ("fyi", "Re: Update", "Board approved the spend. Finance will issue the PO this week."),
    ("out_of_office", "Re: Intro", "Currently travelling with patchy signal until Thursday - will reply properly then."),
    ("out_of_office", "Automatic reply", "Thank you for contacting us. Our team is away for the public holiday and will be back on 2 January."),
    ("unsubscribe", "Re: Intro", "pls stop emailing"),
    ("unsubscribe", "Re: Intro", "I do not wish to receive further communications from your company."),
    ("not_interested", "Re: Intro", "We evaluated you last year and went another direction. Not looking to revisit."),
    ("not_interested", "Re: Intro", "Not for us, cheers."),
    ("not_interested", "Re: Intro", "We have no requirement for this service."),
    ("positive_interest", "Re: Intro", "Huh, didn't know this existed. How does pricing usually work - per user or per site?"),
    ("positive_interest", "Re: Intro", "Sure, happy to hear more. Send me some info."),
    ("positive_interest", "Re: Webinar", "Thanks for the invite - I'll try to join. Will there be a recording?"),
    // ninth round
    ("meeting_request", "Re: Intro", "Worth a conversation. My EA, Tom, can set something up - copying him here."),
    ("meeting_request", "Follow-up session", "Could we schedule a follow-up with your data team? The first fortnight of June is best."),
    ("meeting_request", "Re: Intro", "Yes. Call me on 07700 900456 tomorrow morning."),
    ("proposal_request", "Re: Proposal", "Thanks for this. Could you add a third option with the premium support tier and resend?"),
    ("proposal_request", "Budget request", "We've been asked to submit a budget request by Friday. Can you send me indicative pricing for 60 staff?"),
    ("proposal_request", "Re: Intro", "Roughly what's the investment for something like this?"),
    ("needs_response", "Re: Implementation plan", "Who will be our day-to-day contact during implementation?"),
    ("needs_response", "Re: Security questionnaire", "Attached is our vendor questionnaire - please complete and return by end of month."),
    ("needs_response", "Data export", "If we ever leave, can we export all our data in a standard format?"),
    ("fyi", "Re: Proposal", "Thanks, this is with our MD now. Expect to hear back after the 15th."),
    ("fyi", "Re: Welcome", "Thanks, looking forward to working together!"),
    ("fyi", "Re: Articles", "Forwarding for interest only - no response required."),
    ("out_of_office", "Auto reply: Quick question", "I'm out of the office on a course this week. I will reply to emails on my return."),
    ("out_of_office", "Re: Intro", "Hi, I'm on parental leave until the spring. My inbox isn't being monitored."),
    ("unsubscribe", "Re: Hi", "Please don't contact me through this address or any other."),
    ("unsubscribe", "Re: Intro", "Unsub"),
    ("not_interested", "Re: Intro", "We've just renewed our contract with our current supplier for another three years."),
    ("not_interested", "Re: Intro", "We outsource all of this to our accountants, so it's not something we'd buy."),
    ("not_interested", "Re: Next steps", "The leadership team decided to prioritise other projects this year, so we're going to step back from this."),
    ("positive_interest", "Re: Intro", "Ha, your timing is uncanny - we were discussing this yesterday. What's the best way to learn more?"),
    ("positive_interest", "Re: Intro", "I'm not the right person, but I've forwarded this to Jenna who runs our finance ops - she'd be keen."),
    ("positive_interest", "Re: Your ebook", "Read the ebook over the weekend - good stuff. Do you have anything on multi-currency?"),
    // tenth round
    ("not_interested", "Re: Intro", "Unfortunately we don't have a sales team, so this wouldn't apply."),
    ("not_interested", "Re: Intro", "We're winding the business down next year, so I'll decline."),
    ("not_interested", "Re: Following up", "Thanks for persisting, but the answer is still no."),
    ("not_interested", "Re: Intro", "Our head office handles all software purchasing, and they won't consider new vendors right now."),
    ("fyi", "Re: Intro", "Thanks for sending this over - I'll have a read."),
    ("fyi", "Re: Case study", "Got the case study, thanks. Will share it with the team."),
    ("positive_interest", "Re: Intro", "Sorry for the slow reply! Yes, I'd like to know more - what would you need from us to get a trial going?"),
    ("positive_interest", "Re: Intro", "We're not currently using anything for this, so it might be worth exploring."),
    ("out_of_office", "Re: Intro", "Out on the road visiting customers until Wednesday - limited access to email."),
    ("out_of_office", "Autoreply: Intro", "I'm away from my desk. Back Tuesday."),
    ("out_of_office", "Re: Intro", "Sophie is on extended leave. Your email has not been forwarded. Please resend to team@hotel.example."),
    ("needs_response", "Re: Our account", "Can you move our billing date to the 1st of each month?"),
    ("needs_response", "GDPR", "Are you GDPR compliant, and where are your servers located?"),
    ("meeting_request", "Re: Intro", "Sure - have your team reach out to book a slot with me next week."),
    ("proposal_request", "Re: Intro", "Need pricing for 200 seats by Thursday please."),
    ("unsubscribe", "Re: Intro", "I'd appreciate it if you removed me from your contact list."),
    ("unsubscribe", "Re: Intro", "Please remove all contacts at our company from your database."),
    // eleventh round: rule 5 both ways, and quiet fyi
    ("positive_interest", "Re: Reducing returns at Kite Apparel", "Interesting stats. Do you integrate with Shopify Plus?"),
    ("positive_interest", "Re: Intro", "Could you send me a couple of customer stories from logistics?"),
    ("positive_interest", "Re: Intro", "What's the typical setup time for a firm of 30 people?"),
    ("needs_response", "Re: Pilot feedback", "Following the pilot, can you send us the customer references you mentioned?"),
    ("needs_response", "Re: Our subscription", "Can we add two more admins without changing plan?"),
    ("needs_response", "Re: Evaluation", "As part of our evaluation, could you send your product roadmap for the next 12 months?"),
    ("needs_response", "Training materials", "Do you have user guides we can share with new starters?"),
    ("fyi", "Re: Proposal", "Still with finance - I'll chase them on Monday."),
    ("fyi", "Re: PO", "PO 7781 attached as requested."),
    ("fyi", "Re: Call", "Thanks everyone, good call. Notes to follow from our side."),
    ("fyi", "New billing contact", "From next month please send invoices to accounts@rivet.example instead of me."),
    // twelfth round
    ("meeting_request", "Re: Intro", "Put 30 mins in with me and our CTO - any afternoon next week except Tuesday."),
    ("meeting_request", "Workshop", "We'd like to run a discovery workshop with your consultants in our Manchester office. Can you propose dates?"),
    ("meeting_request", "Re: Catch up", "Are you able to jump on Zoom later today?"),
    ("meeting_request", "Re: Intro", "Happy to take a look. I'm at the expo on Wednesday - come find us at stand 14 around noon?"),
    ("proposal_request", "Re: Intro", "Ok, I'm interested. Can you email me a quote?"),
    ("proposal_request", "Multi-year", "What discount would we get on a three-year commitment?"),
    ("proposal_request", "Re: Order form", "We'd like to drop the onboarding package. Can you send a new order form without it?"),
    ("proposal_request", "Pricing sheet", "Do you have a pricing sheet for schools?"),
    ("needs_response", "Re: Contract", "Can you confirm the notice period in the contract is 90 days?"),
    ("needs_response", "SSO setup", "We enabled SSO but users are getting a 403. What are we missing?"),
    ("fyi", "Re: Demo tomorrow", "Sounds good, see you at 2."),
    ("fyi", "Re: Quote", "Great, thanks - we'll review and come back to you next week."),
    ("not_interested", "Re: Intro", "Thanks for reaching out. We're not in a position to take on any new tools this year. Please feel free to try again next spring."),
    ("positive_interest", "Re: Intro", "Thanks for reaching out. We're not in a position to buy this year, but I'd genuinely like to stay in the loop for next spring."),
    ("out_of_office", "Out of Office AutoReply: Proposal", "Thanks for your email. I'm currently on leave with no access to email."),
    ("unsubscribe", "Re: Intro", "You've emailed me 5 times. Remove me from this campaign."),
    // thirteenth round
    ("meeting_request", "Re: Intro", "Let's get something on the books. Does next Thursday at 11 work your end?"),
    ("meeting_request", "Re: Intro", "I'd like my team to see this. Can you present to us at our Monday stand-up?"),
    ("meeting_request", "Re: Proposal walkthrough", "Could we push the walkthrough back a week? Our CFO is away."),
    ("proposal_request", "Re: Intro", "Before we go further, I need to know what this costs. Per seat figures please."),
    ("proposal_request", "Tender clarification", "Please resubmit your pricing schedule with the corrected quantities by Monday."),
    ("proposal_request", "Re: Intro", "Is there a startup discount? If so, send me what it would come to for 5 seats."),
    ("needs_response", "Re: Go-live", "The Xero sync created duplicate contacts overnight. Can you roll it back?"),
    ("needs_response", "Re: Reference call", "Thanks for arranging the reference. Could you send the case study they mentioned?"),
    ("needs_response", "Insurance certificate", "Our procurement team requires a copy of your public liability insurance certificate."),
    ("fyi", "Re: Kickoff agenda", "Agenda looks good to me."),
    ("fyi", "Re: Intro", "Received, thank you."),
    ("fyi", "Status", "Quick note: our security review is complete and passed. Legal is next."),
    ("out_of_office", "Re: Proposal", "I'm in hospital for a minor op and off work for two weeks. Please bear with me."),
    ("out_of_office", "Automatisch antwoord: Demo", "Ik ben afwezig tot 3 juni. I am away until 3 June."),
    ("unsubscribe", "Re: Intro", "Kindly delete my details and stop emailing me."),
    ("unsubscribe", "Re: Your newsletter", "Please stop the newsletter - I never subscribed."),
    ("not_interested", "Re: Intro", "We looked at this category last year. It's not a priority and won't be for a while."),
    ("not_interested", "Re: Proposal", "We're going to hold off indefinitely. Thanks for your patience."),
    ("not_interested", "Re: Intro", "Our parent company has just rolled out a group-wide system, so we're covered."),
    ("positive_interest", "Re: Intro", "Bit busy this month but this does look interesting - circle back in March?"),
    ("positive_interest", "Re: Intro", "Who else in construction uses you? Might be worth a chat if the references stack up."),
    ("positive_interest", "Re: Thanks for downloading our report", "Useful report. Any chance of a version for the Nordics?"),
    // fourteenth round, in the dev set's register but other trades
    ("meeting_request", "Re: Smarter rota planning", "Hi Joel,\n\nThis is timely - our rota tool is creaking. Could we book 30 minutes on Friday morning so you can show me the scheduling view?\n\nThanks,\nMarta"),
    ("meeting_request", "Re: Invitation: Review @ Tue 10am", "Hi Sam,\n\nTuesday is fine but could we make it 11 rather than 10? I have a clash.\n\nBest,\nLee"),
    ("proposal_request", "Re: Dispatch software", "Hi Ana,\n\nWe've seen enough to know we want it. Please send a formal quote for 25 drivers and the customer portal so I can get it approved.\n\nRegards,\nPete"),
    ("proposal_request", "Price for extra storage", "Hi,\n\nWe're close to our storage cap. How much would an extra 2TB cost per year?\n\nThanks,\nIngrid"),
    ("needs_response", "Re: Renewal quote", "Hi Grace,\n\nThanks for the renewal quote. Does the 5% uplift apply to the support line too, or just the licences?\n\nTom"),
    ("needs_response", "Audit trail", "Hi,\n\nDoes the Team plan keep an audit trail of permission changes, or is that Enterprise only?\n\nThanks,\nSeo-yeon"),
    ("fyi", "Re: Proposal for Fenwick", "Hi Marc,\n\nThanks for the proposal. It's going to our board on the 22nd; I'll update you after that.\n\nJudith"),
    ("fyi", "Re: Thursday", "Thanks Lena, 9:30 Thursday is locked in. I've accepted the calendar invite.\n\nRui"),
    ("out_of_office", "Automatic reply: Implementation timeline", "Thank you for your email. I am attending a conference until Friday 6 June and will have limited access to email. For urgent matters please contact projects@harbor.example."),
    ("unsubscribe", "Re: Last chance", "Hi,\n\nPlease remove me from this sequence - I've already said no twice.\n\nKaren"),
    ("not_interested", "Re: Fleet safety", "Hi Bryn,\n\nThanks, but we've just signed a new three-year deal with our existing telematics provider.\n\nAled"),
    ("not_interested", "Re: Our pilot", "Hi Chris,\n\nAfter the pilot, the team felt the tool added more admin than it saved, so we won't be continuing.\n\nThanks,\nAmy"),
    ("positive_interest", "Re: Webinar: Planning for peak", "Hi Lou,\n\nSorry I missed the webinar! Is there a recording you could send over?\n\nCheers,\nDom"),
    ("positive_interest", "Re: Greenhouse climate control", "Hi Jan,\n\nWe have three glasshouses and heating costs are killing us. Keen to understand more about how it works.\n\nPiet"),
    // fifteenth round, dev register
    ("not_interested", "Re: Payroll for Hartley Dental", "Hi Nina,\n\nWe moved payroll to our accountants in the spring and it's working well, so we'll stay as we are.\n\nBest,\nHelen"),
    ("not_interested", "Re: Checking in", "Hi Raj,\n\nI've discussed it with the partners and it's not something we'll be taking forward.\n\nKind regards,\nOwen"),
    ("not_interested", "Re: Menu analytics", "Thanks Leo, but with only one site we don't really need this.\n\nGino"),
    ("positive_interest", "Re: Menu analytics", "Thanks Leo - we're opening a second site in autumn, so this might make sense then. Happy to hear more nearer the time.\n\nGino"),
    ("positive_interest", "Re: Student retention", "Hi Priya,\n\nThis chimes with what our pastoral team has been saying. Do you work with colleges, or mainly universities?\n\nDr Amir Khan"),
    ("needs_response", "Re: Onboarding", "Hi Ellie,\n\nOur finance admin can't see the invoices tab. Does she need a different role?\n\nJordan"),
    ("needs_response", "Letter of authority", "Hi,\n\nOur bank needs a signed letter confirming your account details before we can pay you. Could you send one over on letterhead?\n\nThanks,\nPaula"),
    ("fyi", "Re: Pilot", "Hi Nick,\n\nQuick update - the pilot data is with our ops director and she'll review it next week. I'll come back to you once she has.\n\nCarlos"),
    ("fyi", "Re: Intro call", "Hi Dana,\n\nThanks for the time today - very helpful. We'll discuss internally over the next fortnight.\n\nTom"),
    ("meeting_request", "Re: Pilot", "Hi Nick,\n\nThe ops director has reviewed the pilot data and would like to meet your team. Could you suggest a few times next week?\n\nCarlos"),
    ("proposal_request", "Re: Pilot", "Hi Nick,\n\nThe ops director has reviewed the pilot data and wants to see numbers for a full rollout across 40 vans. Can you send a proposal?\n\nCarlos"),
    // sixteenth round: rule 3, 4, 6 and 8 boundaries
    ("fyi", "Re: Demo Wednesday", "Wednesday at 3 is great. I'll send the dial-in to my team."),
    ("meeting_request", "Re: Demo Wednesday", "Wednesday at 3 is great - can we make it 45 minutes rather than 30 so the team can ask questions?"),
    ("fyi", "Re: Site visit", "We'll meet you at the main gate at 9. Hard hats will be provided."),
    ("needs_response", "Re: Quote Q-2231", "Thanks for the quote. Are the prices fixed for the full term or subject to annual increases?"),
    ("proposal_request", "Re: Quote Q-2231", "Thanks for the quote. Could you show what it would look like with annual increases capped at 3%?"),
    ("meeting_request", "Re: Proposal", "We've read the proposal. Can we set up a session with your solution architect to go through the technical section?"),
    ("fyi", "Christmas closure", "Just a heads-up that our office closes on 20 December and reopens on 5 January. Happy holidays!"),
    ("out_of_office", "Our office is closed", "Thank you for your email. Our office is closed for the Christmas break and reopens on 5 January. We will respond to your message then."),
    ("fyi", "Handover", "I'm going on maternity leave from next Friday; Chloe will pick up our account while I'm away and has the full background."),
    ("out_of_office", "Re: Contract", "I'm on maternity leave and not checking emails. Please contact Chloe for anything urgent."),
    ("positive_interest", "Re: Intro", "Not a priority right now, but I like what you're doing - let's talk again in the new year."),
    ("not_interested", "Re: Intro", "Not a priority right now. Let's talk again in the new year."),
    ("unsubscribe", "Re: Intro", "Not a priority, and please don't add me to any more sequences."),
    ("positive_interest", "Re: Intro", "Looping in my colleague Pat, who runs our warehouse - Pat, this could help with the picking errors."),
    ("fyi", "Re: Intro", "Looping in Pat who now handles supplier relationships; please deal with her from here."),
    // seventeenth round
    ("meeting_request", "Re: Pharmacy stock alerts", "Hi Omar,\n\nI'd like to see it working before I commit to anything. Can you do a screen share one lunchtime next week?\n\nSaira"),
    ("meeting_request", "Re: Next steps", "Hi,\n\nLegal are happy. Shall we get the implementation planning call in the diary for early next week?\n\nMartin"),
    ("proposal_request", "Re: Pharmacy stock alerts", "Hi Omar,\n\nWhat do you charge for a single pharmacy? We're independent, so keep it simple.\n\nSaira"),
    ("proposal_request", "Expansion", "Hi Kate,\n\nWe're adding four more schools to the trust in September. Could you let me know the cost of extending our licence to cover them?\n\nZoe"),
    ("needs_response", "Re: Expansion", "Hi Kate,\n\nThanks for the figures. When would the new schools' data need to be with you for a September start?\n\nZoe"),
    ("needs_response", "Accessibility statement", "Hello,\n\nCould you point me to your accessibility statement? Our web team needs it for the audit.\n\nThanks,\nLuis"),
    ("fyi", "Re: Licence extension", "Hi Kate,\n\nAll signed off internally - the PO will come through from finance in the next few days.\n\nZoe"),
    ("out_of_office", "Auto: Re: Licence extension", "I'm on a school trip until Thursday with very limited access to email."),
    ("unsubscribe", "Re: Free guide for school leaders", "Hello,\n\nI did not sign up for this. Please remove our school from your mailing lists.\n\nHead's PA"),
    ("not_interested", "Re: Free guide for school leaders", "Hello,\n\nWe're part of a trust that procures centrally, so there's no point in contacting individual schools.\n\nHead's PA"),
    ("positive_interest", "Re: Free guide for school leaders", "Hello,\n\nThe guide was useful, thank you. Our head would be interested in the attendance module - is there a short video?\n\nHead's PA"),
    // eighteenth round: apologies and soft words
    ("positive_interest", "Re: Intro", "Sorry for the delay! I've passed this to our ops lead, who'd be the one to look at it - she's copied here."),
    ("fyi", "Re: Intro", "Thanks - saved for later."),
    ("not_interested", "Re: Intro", "Sorry, we won't be looking at anything new until the merger completes."),
    ("positive_interest", "Re: Intro", "Sorry for going quiet - still keen, just slammed. Will come back to you in a few weeks."),
    ("needs_response", "Re: Our account", "Sorry to chase - any news on the refund for the duplicate charge?"),
    ("fyi", "Re: Invoice", "Sorry for the delay on this - payment went out today."),
    ("meeting_request", "Re: Intro", "Sorry, Thursday doesn't suit any more. Could we look at Monday afternoon instead?"),
    ("not_interested", "Re: Intro", "Appreciate it, but I don't see us changing systems in the next couple of years."),
    ("positive_interest", "Re: Intro", "Possibly useful for our Dublin team. Who else in Ireland uses it?"),
    ("unsubscribe", "Re: Intro", "Wrong contact - I left that role. Please stop emailing this address."),
    // nineteenth round
    ("meeting_request", "Re: Intro", "If you're in Glasgow next week I'd be happy to meet for a coffee - Tuesday or Wednesday morning?"),
    ("meeting_request", "Re: Audit prep", "Can we have a quick call before Friday to agree the scope?"),
    ("proposal_request", "Re: Intro", "We'd need this for 3 warehouses. What ballpark should I put in next year's budget?"),
    ("proposal_request", "Re: Contract renewal", "Ahead of the renewal, please send updated pricing including the new reporting add-on."),
    ("needs_response", "Re: Contract renewal", "Ahead of the renewal, can you confirm whether our unused training days roll over?"),
    ("needs_response", "Re: Data import", "The import template rejects dates in DD/MM/YYYY. Which format does it expect?"),
    ("fyi", "Re: Data import", "Import worked this time - all 4,200 records are in. Thanks for the help."),
    ("fyi", "Re: Renewal", "Renewal signed and sent back via DocuSign this morning."),
    ("positive_interest", "Re: 5 ways to cut picking errors", "Point 3 is exactly our problem. Do you have anything more detailed on how you handle it?"),
    ("not_interested", "Re: 5 ways to cut picking errors", "We've solved this already with a new WMS, so not needed, thanks."),
    ("out_of_office", "Re: Intro", "Hi - I'm on a career break until next year and won't be checking this inbox."),
    ("unsubscribe", "Re: Intro", "I'm not the right contact and would like to be removed from your list."),
    // twentieth round
    ("meeting_request", "Re: Intro", "Interested. My PA manages my calendar - email her at pa@firm.example to find a slot."),
    ("meeting_request", "Re: Training", "Could you run a refresher training session for our new supervisors sometime in the next fortnight?"),
    ("proposal_request", "Re: Intro", "How is this priced? We'd be looking at roughly 80 users."),
    ("proposal_request", "Re: Quote", "We need to get this under 20k. Can you rework the numbers?"),
    ("needs_response", "Re: Quote", "We've had the quote approved. What do you need from us to get the contract drawn up?"),
    ("needs_response", "Re: Evaluation", "Could you share a sample SOC 2 bridge letter for our review?"),
    ("fyi", "Re: Evaluation", "Our IT team has finished their review and signed off on security. Procurement will pick it up from here."),
    ("fyi", "Remittance", "Payment for INV-3381 has been processed and should reach you in 3-5 working days."),
    ("positive_interest", "Re: Intro", "Ok, you've got my attention. What's the catch?"),
    ("positive_interest", "Re: Checking in", "Still on my list! Just been buried in year-end. Can you nudge me again in February?"),
    ("not_interested", "Re: Checking in", "We've gone quiet because we've decided not to change anything this year. Thanks for checking in."),
    ("unsubscribe", "Re: Checking in", "Please stop checking in. We are not interested and I'd like to be taken off your list."),
    ("out_of_office", "Automatic reply: Checking in", "I am out of the office until 7 January. Happy holidays!"),
    // twenty-first round
    ("meeting_request", "Re: Intro", "Would be good to compare notes. Free for a brew next time you're in Leeds?"),
    ("meeting_request", "Re: Renewal", "Before we renew I'd like a call with your account manager to go over usage. Sometime next week?"),
    ("meeting_request", "Re: Onsite", "Could your trainer come out to us for a day in March? Any week but the first."),
    ("proposal_request", "Re: Intro", "Do you do a not-for-profit rate? If so, please send details for 12 staff."),
    ("proposal_request", "Re: Intro", "Send me your rate card and I'll take a look."),
    ("needs_response", "Re: Intro call", "Thanks for the call. Could you send the slides you presented?"),
    ("needs_response", "Billing", "We were charged twice this month. Please refund the second payment."),
    ("fyi", "Re: Slides", "Slides received, thanks - very helpful."),
    ("fyi", "Re: Kick-off", "Team's all booked in for Tuesday. Looking forward to it."),
    ("positive_interest", "Re: Intro", "This could work for us. What does onboarding look like?"),
    ("positive_interest", "Re: Intro", "Honestly I'm sceptical, but happy to read more if you send something short."),
    ("not_interested", "Re: Intro", "Honestly I'm sceptical and we don't have the bandwidth. I'll pass."),
    ("not_interested", "Re: Intro", "Thanks but our group IT team has vetoed any new SaaS tools."),
    ("out_of_office", "Re: Intro", "Away on honeymoon until the 28th! Emails will be read on my return."),
    ("unsubscribe", "Re: Intro", "I've reported this as spam. Don't email me again."),
    // twenty-second round
    ("meeting_request", "Re: Intro", "Keen to see a demo. Our team meets on Thursdays - could you join at 10?"),
    ("meeting_request", "Reschedule please", "Hi, our board meeting has moved, so can we shift Wednesday's demo to the afternoon?"),
    ("proposal_request", "Re: Intro", "Could you price up the basic package for one location?"),
    ("proposal_request", "Quote for add-on", "Please quote for adding the payroll module to our existing subscription."),
    ("needs_response", "Re: Our subscription", "Can you tell me when our subscription renews and what the notice period is?"),
    ("needs_response", "Report question", "The monthly report shows 0 for returns but we had 14. Is that a bug?"),
    ("fyi", "Re: Our subscription", "Understood, thanks for clarifying."),
    ("fyi", "Re: Demo", "Thanks for the demo - the team enjoyed it. We'll discuss at our board meeting next month."),
    ("positive_interest", "Re: Intro", "Funny you should mention it - we've been looking for something like this. Is it suitable for a team of 10?"),
    ("not_interested", "Re: Intro", "We're too small for something like this. Cheers though."),
    ("not_interested", "Re: Proposal", "We've chosen to go with a local supplier. Thank you for your time."),
    ("out_of_office", "Automatic Reply", "I no longer work at Fenwick Ltd. Please direct enquiries to hello@fenwick.example."),
    ("unsubscribe", "Re: Intro", "Remove me from all future emails please."),
    // twenty-third round
    ("meeting_request", "Re: Intro", "Go on, I'll bite. 15 minutes on Monday, first thing?"),
    ("meeting_request", "Re: Workshop", "Can we lock in the 12th for the workshop? Half day, at our place."),
    ("proposal_request", "Re: Intro", "If you can send me a rough cost for 6 trucks I'll look at it properly."),
    ("proposal_request", "Tender invitation", "You're invited to tender for our fleet tracking contract. Submissions with full costings are due by 30 April."),
    ("needs_response", "Re: Setup", "We can't get the barcode scanner to pair. Any ideas?"),
    ("needs_response", "Re: Intro call", "Following our call, can you confirm which EU data centre you'd host us in?"),
    ("fyi", "Re: Setup", "Scanner pairs fine now, thanks - it was a firmware issue on our side."),
    ("fyi", "Re: Order form", "Order form signed and attached. We'll be in touch about kickoff dates."),
    ("positive_interest", "Re: Intro", "I'm new in post and this is on my list to sort. Send me some background and I'll come back to you."),
    ("not_interested", "Re: Intro", "We're happy with the way things are, thanks."),
    ("not_interested", "Re: Intro", "Sorry - we're not buying anything this financial year."),
    ("out_of_office", "Re: Intro", "I'm at our Singapore office this week with very limited email access. I'll respond next week."),
    ("unsubscribe", "Re: Intro", "Please take info@ off your mailing list."),
    // twenty-fourth round
    ("meeting_request", "Re: Intro", "Happy to have a look. Ping me an invite for early next week."),
    ("meeting_request", "Catch-up", "It's been a while - fancy a catch-up call later this month to talk roadmap?"),
    ("proposal_request", "Re: Proposal", "The board liked it but asked for a cheaper option without the analytics. Can you put one together?"),
    ("proposal_request", "Re: Intro", "What are we looking at cost-wise for 40 users, roughly?"),
    ("needs_response", "Re: Intro call", "One follow-up from yesterday: does the mobile app work offline?"),
    ("needs_response", "Access", "I've lost admin access after the role change. Can you restore it?"),
    ("fyi", "Re: Access", "All sorted now, thank you!"),
    ("fyi", "Re: Proposal", "The board meets on the 9th to decide. I'll let you know."),
    ("positive_interest", "Re: Intro", "We've just raised our Series A and scaling ops is top of my list. What's the best next step?"),
    ("not_interested", "Re: Intro", "We're in a hiring freeze and no new tools are being approved."),
    ("not_interested", "Re: Intro", "This would be a nice-to-have, and we only fund must-haves right now."),
    ("out_of_office", "Re: Intro", "I am out of office on Fridays. I will respond on Monday."),
    ("unsubscribe", "Re: Intro", "Please cease and desist."),
    // twenty-fifth round, formal register
    ("meeting_request", "Re: Clinic scheduling", "Dear Mr Osei,\n\nThank you for your note. I would welcome a short demonstration for our practice manager. Would Thursday 12 June at 2pm be convenient?\n\nYours sincerely,\nDr Helen Price"),
    ("meeting_request", "Quarterly review", "Hi Tom,\n\nCan you set up our quarterly review with your CSM? Any day the week after next.\n\nAnya"),
    ("proposal_request", "Re: Laboratory LIMS", "Dear Ms Ali,\n\nWe are now in a position to proceed to budgetary approval. Please provide a quotation for 35 named users including validation services.\n\nKind regards,\nDr Mark Fenn"),
    ("needs_response", "Re: Laboratory LIMS", "Dear Ms Ali,\n\nCould you confirm whether your system is validated to GAMP 5, and provide the supporting documentation?\n\nKind regards,\nDr Mark Fenn"),
    ("fyi", "Re: Laboratory LIMS", "Dear Ms Ali,\n\nThank you for the documentation, which I have passed to our QA lead for review.\n\nKind regards,\nDr Mark Fenn"),
    ("out_of_office", "Automatic reply: Laboratory LIMS", "I am currently on annual leave, returning on Monday 16 June. For urgent enquiries please contact the laboratory office."),
    ("unsubscribe", "Re: Laboratory LIMS", "Dear Sir/Madam,\n\nPlease remove my details from your marketing database. I do not consent to further contact.\n\nDr Fenn"),
    ("not_interested", "Re: Laboratory LIMS", "Dear Ms Ali,\n\nFollowing our evaluation, we have selected an alternative supplier. Thank you for your participation.\n\nKind regards,\nDr Mark Fenn"),
    ("positive_interest", "Re: LIMS for growing labs", "Dear Ms Ali,\n\nYour message was timely; our current system is approaching end of life. I would be grateful for further information.\n\nKind regards,\nDr Mark Fenn"),
    // twenty-sixth round
    ("meeting_request", "Re: Intro", "Sounds like it's worth 20 minutes. I'm flexible Wednesday - send a Teams link."),
    ("meeting_request", "Re: Follow-up", "Could you and your engineer come to our Thursday ops huddle to answer questions?"),
    ("proposal_request", "Re: Intro", "I need a number to take to my boss - what would a year cost for 15 people?"),
    ("proposal_request", "Seats", "Can you send an amended order form for 45 seats instead of 40?"),
    ("needs_response", "Re: Intro", "Is this GDPR-compliant? We're an EU charity."),
    ("needs_response", "Re: Quote", "Does your quote include VAT, or is that on top?"),
    ("fyi", "Re: Quote", "Great, thanks. We'll be in touch."),
    ("positive_interest", "Re: Intro", "Could be handy. Is it something smaller firms use too?"),
    ("positive_interest", "Re: Intro", "You had me at 'no spreadsheets'. Tell me how it works."),
    ("not_interested", "Re: Intro", "We're a one-man band, so not really worth it for me."),
    ("not_interested", "Re: Intro", "Let's not. We've been burned by a similar product before."),
    ("out_of_office", "Re: Intro", "Thanks for your message. I'm out of the office at a customer site today and will reply tomorrow."),
    ("unsubscribe", "Re: Intro", "Please unsubscribe accounts@ - nobody reads it."),
    // twenty-seventh round: one opener, many intents
    ("meeting_request", "Re: Intro", "Let's do it. Are mornings or afternoons better for you next week?"),
    ("meeting_request", "Re: Pilot review", "We should regroup on the pilot results - can you find a slot with your analyst before the 20th?"),
    ("meeting_request", "Re: Intro", "Interested - can we hop on a call tomorrow?"),
    ("proposal_request", "Re: Intro", "Interested - what's the price for a single site?"),
    ("proposal_request", "Re: Contract", "Legal want a 12-month term instead of 36. Please send a revised order form."),
    ("needs_response", "Re: Contract", "Legal want to know if you'd accept English law as the governing law."),
    ("needs_response", "Re: Pilot", "Can we add three more users to the pilot?"),
    ("fyi", "Re: Pilot", "Pilot's going well so far - the team's using it daily. More feedback at the end of the month."),
    ("positive_interest", "Re: Intro", "Interested - can you send over a short case study?"),
    ("not_interested", "Re: Intro", "Interesting, but not for us right now - we've just bought something similar."),
    ("not_interested", "Re: Intro", "We'd never get this past our IT security team, so I'll say no."),
    ("unsubscribe", "Re: Intro", "Interesting, but please take me off your list."),
    ("out_of_office", "Re: Intro", "Interesting timing - I'm off on holiday tomorrow for two weeks, so can't look at this until I'm back."),
    // twenty-eighth round: very short
    ("meeting_request", "Re: Intro", "OK - shall we say Tuesday, 9:30, your call?"),
    ("proposal_request", "Re: Intro", "Pop a quote over for 10 licences and I'll see what the MD says."),
    ("needs_response", "Question", "Do your devices work with 3G networks, or only 4G?"),
    ("fyi", "Re: Intro", "Noted, thanks."),
    ("positive_interest", "Re: Intro", "Intriguing. Who's using this in retail?"),
    ("not_interested", "Re: Intro", "It's a no for now and probably for the foreseeable."),
    ("unsubscribe", "Re: Intro", "Stop. Emailing. Me."),
    ("out_of_office", "Re: Intro", "On leave. Back 12th."),
    ("fyi", "Re: Demo", "Demo's on our side is sorted - my colleague has booked the room. See you Thursday."),
    ("needs_response", "Re: Invoice", "Our PO number is missing from the invoice - can you add it and resend?"),
    // twenty-ninth round
    ("meeting_request", "Re: Intro", "Can you give me a ring sometime tomorrow afternoon? Easier to explain our set-up by phone."),
    ("meeting_request", "Re: Roadmap", "Would love to hear about the roadmap in person - any chance you could visit our Bristol office in May?"),
    ("proposal_request", "Procurement framework", "We're buying through the G-Cloud framework. Please confirm your framework pricing for 120 users."),
    ("proposal_request", "Re: Intro", "Interested in principle. What does it cost per month?"),
    ("needs_response", "Re: Onboarding kickoff", "Who from your side will run the admin training, and how long is it?"),
    ("needs_response", "Re: Intro call", "Thanks for the call. Could you send over the security whitepaper you mentioned?"),
    ("fyi", "Re: Whitepaper", "Thanks, passing to our CISO."),
    ("fyi", "Completed: Order Form", "Your document has been completed by all parties. Download a copy from your dashboard."),
    ("positive_interest", "Re: Intro", "Our current tool is up for renewal in Q3, so the timing could be right. What makes you different?"),
    ("not_interested", "Re: Intro", "We've looked at a few of these and none of them justify the cost for a business our size."),
    ("out_of_office", "Automatische Antwort: Demo", "Ich bin derzeit nicht erreichbar und ab dem 4. August wieder im Büro. I'm currently unavailable and back in the office on 4 August."),
    ("unsubscribe", "Re: Intro", "I never opted in to this. Take my address off your system."),
    // thirtieth round
    ("meeting_request", "Re: Intro", "I'm keen. Can you walk me through it on a video call this week?"),
    ("meeting_request", "Re: Site visit", "Thursday doesn't work for the site visit any more - can we rearrange for the following week?"),
    ("proposal_request", "Re: Intro", "Keen. Can you send costs for the Pro tier for 25 users?"),
    ("proposal_request", "Re: Renewal quote", "We'd like to add the API add-on to the renewal. Please update the quote."),
    ("needs_response", "Re: Renewal quote", "Can you remind me what the API add-on includes?"),
    ("needs_response", "Admin rights", "How do I give my deputy admin rights?"),
    ("fyi", "Re: Admin rights", "Found it, thanks - all done."),
    ("positive_interest", "Re: Intro", "Keen to understand this better - do you have a short explainer video?"),
    ("not_interested", "Re: Intro", "Keen to support local businesses, but this just isn't something we need."),
    ("out_of_office", "Re: Intro", "I'm out on paternity leave - back in the new year. Nick is covering urgent matters."),
    ("unsubscribe", "Re: Intro", "Keen that you remove me from your list, thanks."),
    // thirty-first round
    ("meeting_request", "Re: Intro", "Yes please - could someone talk me through it? I'm at my desk most of Wednesday."),
    ("meeting_request", "Re: Demo recording", "Watched the recording. Could we now do a live session with our finance team, maybe next Tuesday?"),
    ("proposal_request", "Re: Intro", "We have 3 sites and 70 staff. What would you quote for that?"),
    ("proposal_request", "Re: Intro", "I'd need a cost breakdown before I can take this any further."),
    ("needs_response", "Re: Handover", "Now that Tom's gone, who's our account manager?"),
    ("needs_response", "Re: Setup", "The welcome emails are going to spam. Can you whitelist-check your sending domain?"),
    ("fyi", "Re: Setup", "Thanks for the quick fix - all working now."),
    ("positive_interest", "Re: Intro", "My co-founder forwarded this to me - we've been meaning to sort our invoicing. What's involved?"),
    ("not_interested", "Re: Intro", "Got a system for this already and the team would revolt if we changed it again."),
    ("out_of_office", "Re: Intro", "Autoresponder: I'm attending a wedding abroad and back on the 3rd."),
    ("unsubscribe", "Re: Intro", "Unsubscribe me from everything please."),
    // thirty-second round
    ("meeting_request", "Re: Intro", "Could we do a quick intro call? I have time Friday between 1 and 3."),
    ("meeting_request", "Re: Proposal", "Let's discuss the proposal with our COO - can you do Monday 4pm?"),
    ("proposal_request", "Re: Intro", "Send me your pricing please."),
    ("proposal_request", "Upgrade", "We want to upgrade from Basic to Plus. What will that cost us pro rata?"),
    ("needs_response", "Re: Proposal", "In section 4 you mention a dedicated CSM - is that included in all tiers?"),
    ("needs_response", "Re: Intro call", "Thanks for the call. Which of your customers could we speak to as a reference?"),
    ("fyi", "Re: Proposal", "Thanks for the proposal - we'll review it at our leadership meeting on the 14th."),
    ("positive_interest", "Re: Intro", "We might be in the market for something like this later in the year. Keep me posted."),
    ("not_interested", "Re: Intro", "We won't be in the market for this for at least two years."),
    ("out_of_office", "Re: Intro", "I'm on a flight to Singapore and will be offline until Wednesday."),
    ("unsubscribe", "Re: Intro", "Remove this email from your sequence please."),
    // thirty-third round
    ("meeting_request", "Re: Intro", "Tell you what - book 20 mins with me via the link in my signature."),
    ("meeting_request", "Re: Training", "Our new starters join on the 3rd. Could we book them onto a training session that week?"),
    ("proposal_request", "Re: Intro", "Do you have any introductory offers? Send me the details with prices."),
    ("proposal_request", "Re: Quote", "Finance have asked for the quote split into capex and opex lines - can you redo it that way?"),
    ("needs_response", "Re: Intro call", "You mentioned a partner programme on the call - how does that work?"),
    ("needs_response", "Cancellation", "We'd like to cancel the add-on at renewal. What notice do you need?"),
    ("fyi", "Re: Training", "All 6 new starters are booked on Thursday's session, thanks."),
    ("positive_interest", "Re: Intro", "Ha, funny timing - our board asked about exactly this last week. Do you have a one-page summary?"),
    ("not_interested", "Re: Intro", "Please don't take this personally, but it's a hard pass from us."),
    ("out_of_office", "Re: Intro", "I'm currently on secondment to our Paris office and checking email infrequently. Responses may be delayed until September."),
    ("unsubscribe", "Re: Intro", "We've asked before - please stop emailing our team."),
    // thirty-fourth round
    ("meeting_request", "Re: Intro", "I'd be up for a chat. What's your availability like on Thursday?"),
    ("proposal_request", "Re: Intro", "Could you send me a proposal? We're comparing three options this month."),
    ("needs_response", "Re: Proposal", "Thanks for the proposal. Which of the options would you recommend for a team of our size?"),
    ("fyi", "Re: Intro", "Thanks, I've bookmarked it."),
    ("positive_interest", "Re: Intro", "Fair point about the manual re-keying - that's a real pain for us. Where would we start?"),
    ("not_interested", "Re: Intro", "Ta, but we'll stick with pen and paper."),
    ("out_of_office", "Out of office Re: Intro", "Currently away with no laptop. Back 2 Sept."),
    ("unsubscribe", "Re: Intro", "You've got the wrong person. Please remove me."),
    ("needs_response", "Re: Invoice 2231", "This invoice has the wrong VAT number on it - could you reissue it?"),
    ("fyi", "Re: Invoice 2231", "Paid today, thanks."),
];

/// The same emails typed on a phone (lower case, no punctuation; quoted
/// history kept, see `textmodel::transform::mobile`) keep their labels,
/// but for one that only its question mark makes a proposal.
#[test]
fn our_own_emails_typed_on_a_phone_keep_their_labels() {
    // "Go on, I'll bite. 15 minutes on Monday, first thing?"
    let needs_its_mark = "go on i'll bite 15 minutes on monday first thing";
    let headers = BTreeMap::new();
    let mut wrong = Vec::new();
    for (gold, subject, body) in CASES {
        let body = textmodel::transform::mobile(body);
        let c = classify(
            &Email {
                subject,
                body: &body,
                headers: &headers,
            },
            Relationship::Unknown,
        );
        if c.intent.as_str() != *gold && body != needs_its_mark {
            wrong.push(format!(
                "{gold} got {} {:?}: {body}",
                c.intent.as_str(),
                c.reasons
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// Terse mail from a phone ("pls send pricing", "call me tmrw after 2"),
/// second-language phrasing ("send us an offer", "is next Tuesday possible
/// for you?") and short replies to outreach, labelled right as written and
/// as typed on a phone.
#[test]
fn terse_and_second_language_emails_are_labelled_by_the_rules() {
    assert_right_in_both_forms(TERSE);
}

/// Asserts each case's label as written and as typed on a phone
/// (`textmodel::transform::mobile`).
fn assert_right_in_both_forms(cases: &[(&str, &str, &str)]) {
    let headers = BTreeMap::new();
    let mut wrong = Vec::new();
    for (gold, subject, body) in cases {
        for body in [body.to_string(), textmodel::transform::mobile(body)] {
            let c = classify(
                &Email {
                    subject,
                    body: &body,
                    headers: &headers,
                },
                Relationship::Unknown,
            );
            if c.intent.as_str() != *gold {
                wrong.push(format!(
                    "{gold} got {} {:?}: {body}",
                    c.intent.as_str(),
                    c.reasons
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[rustfmt::skip]
const TERSE: &[(&str, &str, &str)] = &[
    ("unsubscribe", "Re: Quick question", "remove me pls"),
    ("not_interested", "Re: Checking in", "not for us thanks"),
    ("proposal_request", "Re: Course tools", "Could you give me a rough price estimate for one user?"),
    ("meeting_request", "Re: Course tools", "Keen to see an example or two, can we set up a time the week after next?"),
    ("meeting_request", "Re: Course tools", "Let me know when we can talk."),
    ("unsubscribe", "Re: Course tools", "We're not interested. Please discontinue these messages."),
    ("not_interested", "Re: Course tools", "Appreciated, thank you, but no."),
    ("positive_interest", "Re: Course tools", "I'll need to look further into it - busy at the moment but I plan on trying it out."),
    ("positive_interest", "Re: Course tools", "Wrong course for me this term, but I'd like to remain on your list if you cover the other modules."),
    ("proposal_request", "Re: pricing", "pls send pricing for 20 users"),
    ("proposal_request", "Re: quote", "can u send a quote for the 3 sites thx"),
    ("proposal_request", "Re: Fleet tracking", "how much per van per month"),
    ("proposal_request", "Re: your email", "whats the cost for 50 seats"),
    ("proposal_request", "Re: Offer", "Please send us an offer for 15 licences."),
    ("proposal_request", "Re: Demo", "We would like to receive your price offer for the full package."),
    ("meeting_request", "Re: intro", "call me tmrw after 2"),
    ("meeting_request", "Re: demo", "free thurs am? send invite"),
    ("meeting_request", "Re: catch up", "can we move our call to fri"),
    ("meeting_request", "Re: Meeting", "Is it possible to make a meeting next week? Tuesday or Wednesday is good for me."),
    ("meeting_request", "Re: Meeting", "We can meet on Monday at 10. Please send me the invitation."),
    ("meeting_request", "Re: follow up", "need 30 mins with you this week, when r u free"),
    ("unsubscribe", "Re: Following up", "unsub"),
    ("unsubscribe", "Re: Quick question", "pls remove me from ur list"),
    ("unsubscribe", "Re: Newsletter", "stop emailing me thx"),
    ("unsubscribe", "Re: Offer", "Please delete my e-mail from your database, I don't want to receive these mails."),
    ("not_interested", "Re: Quick question", "not interested thx"),
    ("not_interested", "Re: Following up", "no thanks we're all set"),
    ("not_interested", "Re: Your product", "We have no need for this product at the moment, thank you."),
    ("not_interested", "Re: Platform", "nah we're good"),
    ("positive_interest", "Re: Quick question", "sounds interesting, tell me more"),
    ("positive_interest", "Re: Your email", "interesting. how does it work with xero"),
    ("positive_interest", "Re: Idea", "We are interested, please send more information."),
    ("needs_response", "Login issue", "cant log in since this morning pls help"),
    ("needs_response", "Invoice", "invoice 4471 has the wrong vat number can u fix"),
    ("needs_response", "Question", "Please can you tell me if your system supports SAML?"),
    ("fyi", "Re: Invoice", "paid, thx"),
    ("fyi", "Re: Contract", "signed and sent back"),
    ("fyi", "Re: Tuesday", "k see you then"),
    ("fyi", "Re: Docs", "got it thanks"),
    ("out_of_office", "Re: Proposal", "on holiday til the 12th, will reply when back"),
    ("out_of_office", "Re: Meeting", "I am out of office until Monday with limited access to e-mails."),
];

#[test]
fn our_own_emails_are_labelled_by_the_rules() {
    let headers = BTreeMap::new();
    let mut wrong = Vec::new();
    for (gold, subject, body) in CASES {
        let c = classify(
            &Email {
                subject,
                body,
                headers: &headers,
            },
            Relationship::Unknown,
        );
        if c.intent.as_str() != *gold {
            wrong.push(format!(
                "{gold} got {} {:?}: {body}",
                c.intent.as_str(),
                c.reasons
            ));
        }
    }
    for w in &wrong {
        println!("MISS {w}");
    }
    println!("{}/{} right", CASES.len() - wrong.len(), CASES.len());
    assert!(wrong.is_empty(), "{} wrong", wrong.len());
}

/// Written after our fourth and fifth sets (`tests/data/own`) were scored
/// blind: the same phenomena in new words. Footers that say "to stop receiving…" or
/// "…delete it", ticket and payment notices, a session declined with
/// interest, slots moved by the hour, on-site work that is no visit,
/// second-language declines and customers' questions; as written and as
/// typed on a phone.
#[test]
fn emails_written_after_the_fourth_set() {
    assert_right_in_both_forms(AFTER_FOURTH);
}

#[rustfmt::skip]
const AFTER_FOURTH: &[(&str, &str, &str)] = &[
    ("not_interested", "Re: Pump monitoring", "Dear Mr. Lee,\n\nThank you for the introduction. At present our plant has no plan on this direction.\n\nBest wishes"),
    ("not_interested", "Re: Checking in", "same answer as last time, the clinics are sticking with what they have. thanks for persisting"),
    ("not_interested", "Re: Telemetry", "we've got that side sorted already so I'll leave it, cheers"),
    ("not_interested", "Re: Following up", "gonna give this one a miss thanks"),
    ("not_interested", "Re: Yard software", "The board voted down any new systems spend this year. If that ever changes we'll be in touch."),
    ("unsubscribe", "Re: Newsletter", "no more of these please"),
    ("unsubscribe", "Your letters", "I never gave consent for these messages. Delete all my personal data and confirm in writing."),
    ("unsubscribe", "Re: Berths", "We chose another supplier in May. Please make sure nobody else from your company contacts me again."),
    ("out_of_office", "Re: Herd app", "away at my sister's in Perth til the 10th and didn't bring the laptop, I'll answer when I'm home"),
    ("out_of_office", "Re: Conveyors", "at the mine for the shutdown til the 9th, no reception underground so won't see this til I'm back"),
    ("meeting_request", "Visit at the expo", "Our director will be at the Expo in Leeds on 12-14 May. He proposes to meet you at your stand on 13 May. Please confirm which time is convenient."),
    ("meeting_request", "Re: Site visit", "ok go on then, thurs 2 at ours works"),
    ("fyi", "Re: Visit", "Noted, thank you. Thursday 10:00 at our office is confirmed. Our driver will meet you at the station."),
    ("fyi", "Change of contact", "I'm moving across to the projects team from March. Lena will look after the contract from then; she's copied in."),
    ("positive_interest", "Re: Invitation: cold chain webinar (4 March)", "I'd like to attend. Could you send me the joining link? A colleague would like to come too."),
    ("proposal_request", "Re: Webinar follow-up", "The webinar was useful. What sort of number should I put in next year's plan for about 30 users?"),
    ("proposal_request", "RFQ 2027-11 - Records digitisation", "Dear Supplier,\n\nWe invite you to respond to RFQ 2027-11. Please return your priced response by 5 February."),
    ("needs_response", "Invoice not downloading", "Dear Team,\n\nWe are unable to download the invoice for October from your portal. Kindly check and do the needful."),
    ("needs_response", "certificate", "hello where i can find the calibration certificate for the probes we bought in march"),
    ("not_interested", "Re: Cold store monitoring", "we r not concerned with this topic at the moment, thanks"),
    ("not_interested", "Re: Yard management", "Our budget is spent until April and this is not on our plan. Feel free to get in touch again after that."),
    ("positive_interest", "Re: Scheduling for clinics", "could be handy for us tbh. do you have anything from other dental groups"),
    ("meeting_request", "Re: Meeting Thursday", "Thursday's good but we'd have to start at 9:30 instead of 9."),
    ("meeting_request", "Re: call at 3", "cant do 3 can we push to 4"),
    ("unsubscribe", "RE: Route planning", "Please do not send me any more of these emails. I am not the right person."),
    ("not_interested", "Re: Trial", "We won't be going ahead with the trial, but happy to keep getting your newsletter."),
    ("fyi", "[Case #7781] Re: Data export", "Your request has been logged as case #7781. Please quote the case number in any reply. Do not reply to this message."),
    ("needs_response", "Re: Your trial", "does the app work offline or do we need signal on site"),
    ("fyi", "Payment notification", "This is an automated payment notification. Amount paid: 2,300.00 EUR. To stop receiving these notifications, contact accounts payable."),
    ("positive_interest", "Re: Webinar on cold chain", "I can't attend the live webinar on Tuesday but would love to see the recording. Could you send it over afterwards?"),
    ("needs_response", "Re: Quote 4471", "thanks for this - does the price include the on-site commissioning or is that separate?"),
    ("meeting_request", "Re: Proposal", "Could we move the review meeting to Friday 4 December at 14:00?\n\nThis message is confidential. If you are not the intended recipient, please delete it and notify the sender."),
    ("not_interested", "Re: Fencing systems", "Dear Sir,\n\nAt the moment we have no requirement for this kind of product. We will contact you if anything changes.\n\nRegards"),
    ("positive_interest", "Re: Pallet labels", "Hello,\n\nYes, we have interest, but now is harvest and very busy. In three weeks I have more time to look at it."),
    ("needs_response", "Re: Training module", "Hi Mark,\n\nWe are using your platform since June. I wanted to ask whether it is possible to add more admin users without changing plan."),
    ("needs_response", "Documents", "Dear team,\n\nAs agreed in our meeting, kindly share your ISO certificate and the insurance details."),
    ("needs_response", "Supplier onboarding", "Dear Supplier,\n\nPlease provide a copy of your VAT registration certificate and bank details on company letterhead by Friday 11 December."),
    ("out_of_office", "Out of office - IT helpdesk", "This is an automated reply. The helpdesk is closed today for the public holiday and reopens tomorrow at 8am."),
    ("positive_interest", "Re: Fleet cameras", "ok this looks promising. sending to our fleet manager"),
    ("positive_interest", "Re: HR software", "Hi,\n\nThanks for the note. Not something I can look at before the year end, but I'd be keen to hear more in January."),
    ("needs_response", "Re: Catering software", "who is the right person to talk to about billing, our finance contact left"),
    ("proposal_request", "Re: Offer", "dear mr schmidt\n\nthank you for the meeting yesterday please send us an offer for 40 devices incl training we need it until 15.12 for the budget"),
    ("proposal_request", "Re: Renewal", "Hi, can you send me the renewal quote for next year? Same number of seats."),
    ("meeting_request", "Re: Visit", "We would be happy to welcome you at our plant. Is the 9th of December possible for you?"),
    ("unsubscribe", "Re: Newsletter", "please remove accounts@harbourfoods.example from your mailing list, this is a shared inbox"),
    ("not_interested", "Re: Intro", "Thanks, we're all good on this front for now."),
    ("not_interested", "Re: Checking in", "We went with another supplier in the end, sorry."),
    ("fyi", "Re: Demo recording", "Thanks for the recording, I'll share it with the team."),
    ("not_interested", "Re: Intro", "Not now, maybe next year."),
    ("positive_interest", "Re: Software for labs", "Sounds interesting but we are in the middle of an audit. Can you come back to me in February?"),
    ("proposal_request", "Re: Your email", "what would this cost us for 3 depots roughly"),
    ("positive_interest", "Re: Intro", "is this something that works with sage 200"),
    ("meeting_request", "Re: Kickoff", "Can you send over a few slots for the kickoff next week?"),
    ("fyi", "Re: Tender", "We confirm receipt of your tender submission. The evaluation will be completed by 20 January."),
];

/// Written after our sixth and seventh sets (`tests/data/own`) were scored
/// blind: the same general forms in new words, with look-alikes that must
/// keep their labels; as written and as typed on a phone.
#[test]
fn emails_written_after_the_seventh_set() {
    assert_right_in_both_forms(AFTER_SEVENTH);
}

#[rustfmt::skip]
const AFTER_SEVENTH: &[(&str, &str, &str)] = &[
    // A verb that stops mail with the mail it stops, or one that erases
    // with what is held on the sender.
    ("unsubscribe", "Re: Quarterly insights", "Dear Sir or Madam,\n\nI would be grateful if you could halt all promotional mailings to our accounts department.\n\nYours faithfully,\nR. Patel"),
    ("unsubscribe", "Re: Product news", "pls stop the product news emails, not my area at all"),
    ("unsubscribe", "Re: Offer for you", "Please you stop to send me this messages, I am not the person for this."),
    ("unsubscribe", "Re: Step 4 of 6", "Could you drop us from this campaign? We get plenty already."),
    ("unsubscribe", "Your records", "Erase whatever personal data you keep on me and confirm once it is done."),
    ("unsubscribe", "Data", "I ask you to delete all the informations you are holding about me."),
    ("needs_response", "Reminder emails", "Can you stop the duplicate reminder emails going to our customers? Each booking sends two."),
    ("needs_response", "Test data", "Could you delete the test records from our account before go-live?"),
    ("meeting_request", "Re: Intro", "We'll stop by your stand on Tuesday at 2 - does that work?"),
    // "Pass on this one" declines; "pass this on to" hands on.
    ("not_interested", "Re: Yard planning", "I'll pass on it for this year, thanks all the same."),
    ("not_interested", "Re: Following up", "gonna pass on this one cheers"),
    ("positive_interest", "Re: Intro", "Interesting - I'll pass this on to our ops director, she'd want to see it."),
    // Declines in other words: a need denied, going on as before, "we will
    // decline", a tender lost, a project held or parked; a "maybe" that
    // hedges a deferral is no interest.
    ("not_interested", "Re: Route software", "Dear Mr. Osei,\n\nThank you for the information. At this time our firm does not have any need of such system.\n\nRegards"),
    ("not_interested", "Re: Route planning", "we have no need for route planning tbh, thanks tho"),
    ("not_interested", "Re: Digital rota", "Kind of you to think of us, but we'll carry on as we always have."),
    ("not_interested", "Re: Proposal", "After review, management has chosen to continue with our existing provider. Thank you for your time."),
    ("not_interested", "Re: Offer", "We appreciate the offer. We will decline for this year, thank you."),
    ("not_interested", "Tender outcome - Lot 3", "Dear Tenderer,\n\nWe regret to inform you that your bid has not been successful on this occasion. Feedback will follow under separate cover."),
    ("not_interested", "Re: Proposal", "Our directors decided to hold the project until next year. We will contact you if the situation changes."),
    ("not_interested", "Re: Forklift telematics", "lets park it for now, if things change ill shout"),
    ("not_interested", "Re: Route planning", "Not for this season. Check back later maybe."),
    ("not_interested", "Re: Demo", "sorry, the director said we skip it. Maybe next time."),
    ("positive_interest", "Re: Intro", "Really interested, but we're mid-audit. Try us again in March and I'll make time."),
    ("fyi", "Company news", "We've joined the Harlow Group. Please carry on as before - same contacts, same account numbers."),
    ("meeting_request", "Re: Kickoff", "Could we hold the kickoff on Monday at 10 instead?"),
    // Price idioms and the size of a figure asked after.
    ("proposal_request", "Re: Van tracking", "ok whats the damage for 9 vans, ballpark is fine"),
    ("proposal_request", "Re: Booking system", "Right, I'm sold on the idea. Four clinics, around 30 staff - what are we talking?"),
    ("proposal_request", "Re: Software", "Honestly, is this going to cost us hundreds or thousands a year? Need to know before I mention it to the partners."),
    ("proposal_request", "RE: Offer", "Dear Sir,\n\nOur director asked for a revised offer with 25 devices instead of 20. Kindly send it this week."),
    ("proposal_request", "Membership", "We're a community interest company. Could you let me know what we would pay for eight seats?"),
    ("needs_response", "Re: Onboarding", "What are we talking about in the admin training - is it the reporting module or user setup?"),
    ("needs_response", "Water damage", "One of the scanners arrived with water damage. What's the process for a replacement?"),
    // A slot moved to, asked for or offered by its time.
    ("meeting_request", "Re: Call Thursday", "Something's come up - could we switch Thursday to Monday, same time?"),
    ("meeting_request", "Re: Demo Tuesday", "Dear Anna, I have an unexpected audit on Tuesday. Would it be possible to move to Wednesday at 11?"),
    ("meeting_request", "call", "can u do fri 9ish? if not sometime next wk"),
    ("meeting_request", "Re: Worth a chat?", "Go on then. Monday 2-4 is free, stick an invite in."),
    ("meeting_request", "Re: Your quote", "Before I show this to my partner, would you go through it with me by phone? I'm around most mornings except Wednesdays."),
    ("needs_response", "Plan change", "Can we switch to the annual plan from next month? Please let me know what changes on the invoice."),
    ("fyi", "Re: Visit", "Parking is free on Thursdays in the visitor bays. See you then."),
    ("needs_response", "Re: Export", "Can you push the fix to production today? The export still fails."),
    ("needs_response", "Re: Thanks for Tuesday", "Thanks for having us on Tuesday. Could you put us in touch with a customer who runs two sites? We'd like to hear how they got on."),
    // Polite request frames and embedded questions; a question after
    // others is a conversation under way; timing remarked on is interest.
    ("needs_response", "Supplier assurance", "Dear Sir or Madam,\n\nWe would be grateful if you could confirm the location of your data centres and your backup schedule.\n\nKind regards,\nProcurement Office"),
    ("needs_response", "Re: Security pack", "thanks for the pack. pls also let us know who signs off the DPA on your side"),
    ("needs_response", "Onboarding forms", "As part of supplier set-up we ask that the attached forms are completed and returned by Friday."),
    ("needs_response", "Re: Trial", "Thanks, that worked. Another question: can we export the reports as PDF?"),
    ("needs_response", "Re: Set-up", "ok one more question, can drivers see each other's routes?"),
    ("positive_interest", "Re: Waste tracking", "Great timing - we were just talking about this. Have you got a short summary I could read?"),
    ("positive_interest", "Re: Booking tool", "perfect timing tbh, send me something i can read on the train"),
    ("fyi", "Re: Proposal", "Received, thanks. I'll let you know what the board decides."),
    ("fyi", "Re: Kickoff", "Perfect timing, the invite's accepted - see you Thursday."),
    ("meeting_request", "Re: Intro", "Great timing. Are you free for a call on Tuesday afternoon?"),
    // Clock times ("3:45", "at half ten") name a time; typed on a phone a
    // "please" after a finished clause opens a new sentence.
    ("meeting_request", "Re: Invitation: Review @ Thu 3pm", "Thursday is fine, but could we start at 3:45? I have a site inspection until 3:30."),
    ("meeting_request", "Re: Friday", "Friday suits. Can we do it at half ten rather than ten? School run."),
    ("positive_interest", "Re: Webinar invite", "Many thanks for the webinar invite. Sounds interesting, please send me the joining details."),
    ("needs_response", "Exports", "could you please check the export it keeps timing out"),
    ("fyi", "Re: Visit", "We're all set for 2:30 tomorrow. Reception will have your badge ready."),
    ("fyi", "Re: Order 5512", "our driver will have your pallets at the dock by noon"),
    // A rival declines only beside a choice of it.
    ("not_interested", "Re: Intro", "We found a different supplier last spring, thanks."),
    ("not_interested", "Re: Proposal", "Management preferred an alternative supplier. Thank you for your efforts."),
    ("needs_response", "Delivery note", "The delivery note you sent lists a different supplier's address. Could you send a corrected copy?"),
    ("needs_response", "Invoice 8821", "invoice 8821 has a PO from a different provider on it, pls reissue with PO 4410"),
    // Dates asked for name no day of their own; "a revised one" under a
    // quote's subject asks for new figures.
    ("meeting_request", "Re: Warehouse visit", "Better you see the racking yourself. Send me a few dates you could travel up and I'll sort the site pass."),
    ("meeting_request", "Re: Training plan", "pls give me some dates for the admin training, we're flexible"),
    ("needs_response", "Re: Delivery", "Could you confirm the delivery dates for the rest of our order?"),
    ("proposal_request", "Re: Quote Q-2291", "The install fee is the sticking point. If there's any movement, send a revised one over and I'll take it to the board."),
    ("fyi", "Re: Quote Q-2291", "I'll send a revised PO once finance approves it."),
    // A "but" ends a negator's reach.
    ("not_interested", "Re: Stocktake app", "we're a two-man shop, no call for it really but good luck with it"),
    ("not_interested", "Re: Intro", "Thanks, but we are not interested."),
];

/// Written after our eighth and ninth sets (`tests/data/own`) were scored
/// blind: the same general forms in new words, with look-alikes that must
/// keep their labels; as written and as typed on a phone.
#[test]
fn emails_written_after_the_ninth_set() {
    assert_right_in_both_forms(AFTER_NINTH);
}

#[rustfmt::skip]
const AFTER_NINTH: &[(&str, &str, &str)] = &[
    // Not reading mail for a while is an absence; a return to the office
    // is one; a bilingual auto-reply prefix is one in either language.
    ("out_of_office", "Re: Yard software", "Down with the flu, won't be across emails for a couple of days. Back Thursday."),
    ("out_of_office", "Re: Intro", "Hi, I'm at the trade fair all week and won't be looking at emails until Monday."),
    ("out_of_office", "Re: Follow up", "Dear sender, I will return to the office on 3 March and will answer your message then."),
    ("out_of_office", "Réponse automatique / Automatic reply: Proposal", "Je suis absent. I am away and will reply when I can."),
    ("out_of_office", "自动回复 / Auto reply: Follow up", "您好，我正在休假。Hello, I am on annual leave and will reply on my return."),
    ("fyi", "Payroll / Absence tracking: update", "The absence tracking export now includes part-time staff. Nothing needed from you."),
    ("needs_response", "Re: Reports", "I won't be looking at emails over the weekend. Could you send the export today?"),
    // Leaving the sender out of mail, or cancelling a newsletter, stops
    // contact; cancelling product mail does not.
    ("unsubscribe", "Re: Monthly digest", "Please don't include me in any more of your mailings, thank you."),
    ("unsubscribe", "Re: Events newsletter", "kindly cancel my subscription to the events newsletter, i changed jobs"),
    ("unsubscribe", "Re: Offers", "Please exclude us from your mailing list for future campaigns."),
    ("needs_response", "Reminders", "Can you cancel my subscription to the reminder emails for room 4? They go to the wrong nurse."),
    // "Kindly" asks as "please" does ("kindly resolve and revert"); a
    // meeting fixed or slots asked for; the best offer is a figure.
    ("needs_response", "Invoice mismatch", "Dear Team,\n\nThe GST on invoice 4471 is calculated wrongly. Kindly look into it and revert at the earliest.\n\nRegards,\nAccounts"),
    ("needs_response", "Login issue", "users unable to login since morning pls resolve and revert"),
    ("meeting_request", "Re: Asset tracking", "Good day,\n\nKindly fix a meeting with our MD on Thursday by 11am to present the solution.\n\nRegards"),
    ("meeting_request", "Training", "Kindly share your available slots next week for the admin training at our Lagos office."),
    ("proposal_request", "Re: Presentation", "Dear Sir,\n\nWe appreciate the demo. Kindly send your best offer for 40 users including installation."),
    ("proposal_request", "Re: Herd app", "could ye let me have the costs for two farms? no frills"),
    ("proposal_request", "Re: Kit", "sling us a price for 10 units when you get a sec"),
    ("meeting_request", "Re: Intro", "ok sling me an invite for tuesday after lunch"),
    ("fyi", "Re: Visit", "As agreed, kindly note our security desk opens at 8am. Nothing needed from you."),
    // A session named by its day ("Tuesday's demo") has happened: a
    // question after it asks for a reply, not a meeting.
    ("needs_response", "Post-demo questions", "Following on from Monday's demo - can your platform export audit logs to our SIEM?"),
    ("needs_response", "After the session", "after yesterday's session could you send the admin guide and the DPA?"),
    ("meeting_request", "Re: Demo", "Thursday's demo clashes with a board call. Can we move it to Friday at 10?"),
    // Dates or times asked for, a slot asked for after "any chance", a date
    // held in the diary.
    ("meeting_request", "Re: Signed", "Order form's signed. Can you send a few dates for the onboarding session in March?"),
    ("meeting_request", "Re: Invitation: Review", "Tuesday's grand but any chance we could start at 3 instead of 2?"),
    ("meeting_request", "Board presentation", "Dear Mr Lowe,\n\nThe board would like a short presentation on the system. Could you please hold 12 May, 10am, and confirm by return?"),
    ("needs_response", "Licences", "Could you please hold 3 licences for our new starters until the PO is raised?"),
    // "Close out the open items" finishes work; "close out the
    // opportunity" declines.
    ("meeting_request", "Re: Snagging", "Could we grab 30 mins on Thursday to close out the remaining items on the data migration?"),
    ("not_interested", "Re: Proposal", "We won't be going ahead this year, so please close out the opportunity on your side."),
    // A condition beside "nothing needed" looks to news, not a later sale.
    ("fyi", "Update", "Quick one: the budget sits with finance until the 30th. Nothing needed from you for now - I'll let you know if anything changes."),
    ("fyi", "Re: Contract", "still with legal, no action needed ur side, will shout if that changes"),
    ("not_interested", "Re: Intro", "Not for us at the moment. I'll reach out if anything changes."),
    // Asking to hear a bit more, a topic on the radar beside a deferral,
    // a forward with a word of endorsement.
    ("positive_interest", "Re: Cold storage monitoring", "Go on, tell us a bit more. We lost a freezer full of stock last summer."),
    ("positive_interest", "Re: Inspection app", "Now isn't the right time, but it's firmly on our radar for next year. Let's pick it up in January."),
    ("not_interested", "Re: Inspection app", "Honestly it's not on our radar at all. Thanks though."),
    ("positive_interest", "Fwd: Stock control", "Tom - forwarding this on, probably worth you having a look before the budget meeting."),
    // A need denied in the third person declines; "not something I need
    // to…" does not.
    ("not_interested", "Re: Practice software", "Dear Ms Clarke,\n\nHaving considered your letter, this is not something our practice requires at the moment.\n\nYours sincerely,\nJ. Rees"),
    ("not_interested", "Re: Rota app", "isnt something a small team like ours needs tbh"),
    ("proposal_request", "Re: Rota app", "Honestly it's not something I need to run past the board. Just send me the price for 12 users."),
    // The sender's own figures are no price asked for.
    ("needs_response", "References", "Could you send a reference from another council so we can compare it with our own figures?"),
    ("proposal_request", "Re: Two sites", "Could you send your figures for the two-site option?"),
    // A question written without its "it" ("is possible to…").
    ("needs_response", "Reports", "good morning\n\nis possible to export the monthly report in excel format"),
    ("needs_response", "Users", "Is possible to add two more users to our account?"),
    // "Why don't you…" suggests; it negates nothing.
    ("meeting_request", "Re: Booking system", "Why don't you come over to the surgery on Wednesday at 1 and show the practice manager?"),
    ("meeting_request", "Re: Stand", "why dont u pop by the stand tmrw around 11"),
    ("fyi", "Re: Install", "The engineer doesn't need to come in on Monday; the fix was applied remotely. Nothing needed from you."),
    // A meeting floated ("perhaps we could meet on the 15th"), a number to
    // ring with a time.
    ("meeting_request", "Re: Information", "Thank you for the brochure. I am in Manchester on 14 and 15 October for the expo, perhaps we could meet on the 15th in the morning."),
    ("meeting_request", "Re: Intro", "in town tues for the show maybe we can meet at 4 near the venue"),
    ("positive_interest", "Re: Intro", "Interesting stuff. Perhaps we could meet at some point down the line."),
    ("meeting_request", "Re: quick q", "call fri 10 ring my mob 07700 900 321"),
    // "Up our street" is interest; "sort" asks for a fix.
    ("positive_interest", "Re: Webinar: Fuel costs", "Missed the session but the bit on fuel cards sounds right up our street. Is there a recording?"),
    ("needs_response", "Printer", "label printer offline again since the update, pls sort asap"),
    ("fyi", "Re: Printer", "All sorted now, thanks - no need to reply."),
    // "Is fine" offers a slot only of a time ("either is fine"), not "bay
    // 1 is fine" in a line that names a day elsewhere.
    ("meeting_request", "Re: Demo times", "Dear Ken, Friday morning or Monday afternoon for the demo, either is fine for our team."),
    ("needs_response", "Scanner", "since the update on monday the scanner in the goods-in bay won't connect the dispatch scanner is fine can someone check it today"),
    ("needs_response", "Sync", "The Leeds site is fine but the York tablets have not synced since Tuesday. Can you look at it?"),
];

/// The forms learnt from the eleventh and twelfth authors' sets, each
/// written anew.
#[test]
fn emails_written_after_the_twelfth_set() {
    assert_right_in_both_forms(AFTER_TWELFTH);
}

#[rustfmt::skip]
const AFTER_TWELFTH: &[(&str, &str, &str)] = &[
    // A confidentiality footer asks nothing of us: the mail above it is
    // judged on its own words.
    ("fyi", "Site induction", "Please bring steel toe caps on Monday, the gate code is 4411.\n\nThis email and any attachments are confidential and intended solely for the addressee. If you have received it in error please notify the sender and delete it."),
    ("meeting_request", "Wednesday call", "Could we push Wednesday's call to Friday at the same time?\n\nThis message is intended only for the named recipient. If you received it in error, please notify the sender immediately and delete it."),
    // "Before I can take this further" asks for figures; it declines nothing.
    ("proposal_request", "Re: Add-ons", "Before we take this further I need a price for the analytics module on its own, for three sites."),
    ("not_interested", "Re: Checking in", "Appreciate the follow-ups but the answer is no for this year."),
    ("not_interested", "Re: Your offer", "Thank you for the offer. After discussion we will not introduce a new tool and there is no plan to consider it again."),
    ("not_interested", "Re: Events platform", "Budget's gone for this year and to be honest I don't think it's the right fit for us."),
    ("unsubscribe", "Re: Quick one", "Could you take me and my two colleagues off your outreach please? We are not the right people."),
    ("fyi", "Update", "It's with our board now. They meet on the 12th and I'll know more after that."),
    ("positive_interest", "Re: Scheduling software", "Thank you for your message. The hospital is reviewing options in this area and would welcome further information about your system."),
    ("needs_response", "Re: Next steps", "Our security lead wants to know whether you support SCIM with Azure AD. Can you confirm before Thursday?"),
];
