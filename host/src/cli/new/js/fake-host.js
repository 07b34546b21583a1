// A fake baton host for a skill's native tests (`npm test`): the imports
// of `baton:skill@0.1.1` shaped as componentize-js binds them, with the
// context, decisions and LLM answers a test sets up. A call needs its
// capability granted, as on the real host; the grants default to what the
// skill's manifest declares. `baton new skill --lang js` writes it; it is
// the same in every JavaScript skill.

import * as baton from '../src/baton.js';

/** A host error as an import throws it (`error.payload` is the variant). */
function hostError(tag, val) {
  const e = new Error(`${tag}: ${val}`);
  e.payload = { tag, val };
  return e;
}

/** The capability a context tier (`{ tag, val }`) needs. */
function tierCapability(tier) {
  return tier.tag === 'external' ? `context:external:${tier.val}` : `context:${tier.tag}`;
}

export class FakeHost {
  /** A host granting what `skill.manifest` declares, for `skill` (a module with `manifest` and `run`). */
  static forSkill(skill) {
    return new FakeHost(skill);
  }

  constructor(skill) {
    this.skill = skill;
    this.grants = new Set(skill.manifest.capabilities ?? []);
    this.tiers = new Map();
    this.decisions = new Map();
    this.answer = null;
    /** What the skill logged, in order: `{ level, message }`. */
    this.logs = [];
    /** Gates the skill requested, in order. */
    this.gates = [];
    /** Capabilities the skill used without a grant, in order. */
    this.denied = [];
    this.log = { write: (level, message) => this.logs.push({ level, message }) };
    this.context = {
      read: (tier) => {
        this.need(tierCapability(tier));
        const key = tierCapability(tier);
        if (!this.tiers.has(key)) {
          throw hostError('not-found', `no ${key} context`);
        }
        return JSON.stringify(this.tiers.get(key));
      },
    };
    this.approvals = {
      request: (gate) => {
        this.need('approvals');
        this.gates.push({ ...gate, body: JSON.parse(gate.body) });
      },
      readDecision: (key) => {
        this.need('approvals');
        return this.decisions.get(key);
      },
    };
    this.llm = {
      complete: (request) => {
        this.need('llm');
        if (!this.answer) {
          throw hostError('unavailable', 'no LLM endpoint is configured');
        }
        const text = this.answer(request);
        return { text, inputTokens: request.prompt.length, outputTokens: text.length };
      },
    };
  }

  need(capability) {
    if (!this.grants.has(capability)) {
      this.denied.push(capability);
      throw hostError('denied', `${capability} is not granted`);
    }
  }

  grant(capability) {
    this.grants.add(capability);
    return this;
  }

  revoke(capability) {
    this.grants.delete(capability);
    return this;
  }

  /** Tier 1 context (`context:org`). */
  org(value) {
    this.tiers.set('context:org', value);
    return this;
  }

  /** Tier 2 context (`context:contact`). */
  contact(value) {
    this.tiers.set('context:contact', value);
    return this;
  }

  /** Tier 3 context from `provider` (`context:external:<provider>`). */
  external(provider, value) {
    this.tiers.set(`context:external:${provider}`, value);
    return this;
  }

  /** The decision on gate `key`, e.g. `{ tag: 'approved' }`, `{ tag: 'chosen', val: 1 }`. */
  decided(key, decision) {
    this.decisions.set(key, decision);
    return this;
  }

  /** Answer LLM completions with `respond(request)` (a string). */
  llmAnswers(respond) {
    this.answer = respond;
    return this;
  }

  /**
   * Run the skill as the component would: through the WIT encoding, so
   * what reaches the host is checked too (`input` from `forEvent`). Returns the output with its
   * JSON fields parsed; throws the `SkillError` the call ends with.
   */
  run(input) {
    // The manifest must lower too (BigInt throws on a fractional fuel).
    baton.describe(this.skill.manifest);
    const out = baton.run(this.skill.run, input, this);
    return {
      data: JSON.parse(out.data),
      followUps: out.followUps.map((f) => ({ ...f, payload: JSON.parse(f.payload) })),
      actions: out.actions.map((a) => ({ ...a, payload: JSON.parse(a.payload) })),
    };
  }
}

/** A WIT input for an event of `eventType` with `payload`, as the host sends it. */
export function forEvent(eventType, payload, { params = {}, previous = [] } = {}) {
  return {
    event: {
      id: 'evt-1',
      eventType,
      source: 'test',
      org: 'demo',
      user: 'rep1',
      payload: JSON.stringify(payload),
      chainDepth: 0,
    },
    params: JSON.stringify(params),
    previous: previous.map(({ step, skill = step, data }) => ({ step, skill, data: JSON.stringify(data) })),
  };
}
