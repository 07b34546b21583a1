// `notify-proposal-viewed`: the rep hears, in Slack and inform-only, that
// the prospect opened their proposal: "Northwind opened your proposal
// “Renewals Hub” (2nd view)". The host sends at most one `proposal_viewed`
// event per proposal per half hour and counts the views; this skill only
// words it.
//
// It proposes one `slack-post` (`title` + `text`), which the host renders
// as Block Kit (escaping `&`, `<`, `>`) and posts to the rep's channel.
// Deterministic; reads only the event's payload.

import { SkillError } from './baton.js';

export const manifest = {
  name: 'notify-proposal-viewed',
  version: '0.1.0',
  summary: 'Tells the rep in Slack (inform-only) that a prospect opened their proposal.',
  capabilities: [],
  // A call takes about 2.7 million (`baton skill run --stats`), mostly the
  // JavaScript engine's own work.
  defaultFuel: 20_000_000,
  inputSchema: { type: 'object' },
  outputSchema: {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'Notice',
    description: 'The notice: the output, and the `slack_post` the host renders from it.',
    type: 'object',
    properties: { title: { type: 'string' }, text: { type: 'string' } },
    required: ['title', 'text'],
  },
};

/** `1st`, `2nd`, `3rd`, `4th` … `11th`, `12th`, `13th`, `21st` …. */
export function ordinal(n) {
  const [last, lastTwo] = [n % 10, n % 100];
  const suffix =
    lastTwo >= 11 && lastTwo <= 13 ? 'th' : ({ 1: 'st', 2: 'nd', 3: 'rd' }[last] ?? 'th');
  return `${n}${suffix}`;
}

/**
 * The `proposal_viewed` payload (the host's `ProposalViewed`), checked:
 * what serde would refuse is invalid input.
 */
function viewed(payload) {
  const bad = (why) => new SkillError('invalid-input', `event payload: ${why}`);
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
    throw bad('expected an object');
  }
  const field = (name, type, optional = false) => {
    const value = payload[name];
    if (value === undefined || value === null) {
      if (optional) {
        return null;
      }
      throw bad(`missing field \`${name}\``);
    }
    const ok = type === 'integer' ? Number.isInteger(value) : typeof value === type;
    if (!ok) {
      throw bad(`field \`${name}\` must be ${type === 'integer' ? 'an integer' : `a ${type}`}`);
    }
    return value;
  };
  return {
    proposalId: field('proposal_id', 'string'),
    viewId: field('view_id', 'string'),
    title: field('title', 'string'),
    company: field('company', 'string', true),
    contactName: field('contact_name', 'string', true),
    version: field('version', 'integer'),
    viewedAt: field('viewed_at', 'string'),
    views: field('views', 'integer'),
  };
}

/** The notice: the output, and the `slack-post` the host renders from it. */
export function notice(p) {
  const who =
    [p.company, p.contactName]
      .filter((s) => s !== null)
      .map((s) => s.trim())
      .find((s) => s !== '') ?? 'Your prospect';
  const views = Math.max(p.views, 1);
  const title = `${who} opened your proposal \u201c${p.title.trim()}\u201d (${ordinal(views)} view)`;
  let text = views === 1 ? 'It is the first time they opened it.' : `They have opened it ${views} times.`;
  if (p.version > 1) {
    text += ` This is version ${p.version} of the proposal.`;
  }
  text += ' A good moment to follow up while it is fresh.';
  return { title, text };
}

export function run(input) {
  const n = notice(viewed(input.event.payload));
  return { data: n, actions: [{ kind: 'slack-post', preview: n.title, payload: n }] };
}
