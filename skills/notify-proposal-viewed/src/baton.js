// The boundary between a skill's logic and the `baton:skill@0.1.1` types
// as componentize-js 0.23 binds them. `baton new skill --lang js` writes
// it; it is the same in every JavaScript skill, so leave it as it is.
//
// What componentize-js does with the WIT types:
// - a record is an object with camelCase fields (`eventType`, `chainDepth`,
//   `followUps`, `defaultFuel`);
// - `u64` is a BigInt (`defaultFuel: 150_000_000n`); `u8`, `u32` and `f32`
//   are numbers;
// - an enum is its case's name as a string (`'slack-post'`, `'info'`);
// - a variant is `{ tag, val }` (`{ tag: 'org' }`,
//   `{ tag: 'external', val: 'news' }`);
// - an import's `result` error is thrown as an `Error` whose `payload` is
//   the error value (a `host-error` variant); an export gives its `result`
//   error the same way, and anything else it throws traps the call.
//
// A skill's own code sees none of that: `run` hands it the input with the
// JSON fields parsed and turns what it returns (or throws) into the WIT
// output (or `skill-error`).

/** A call the skill refuses or fails: throw it from the skill's `run`. */
export class SkillError extends Error {
  /**
   * @param {'invalid-input' | 'unavailable' | 'failed'} kind
   *   `invalid-input`: retrying will not help; `unavailable`: a retry may;
   *   `failed`: anything else.
   * @param {string} message
   */
  constructor(kind, message) {
    super(message);
    this.name = 'SkillError';
    this.kind = kind;
    // What componentize-js lowers as the `skill-error` variant.
    this.payload = { tag: kind, val: message };
  }
}

/** `manifest` (schemas as objects, fuel as a number) as the WIT `describe` returns it. */
export function describe(manifest) {
  return {
    name: manifest.name,
    version: manifest.version,
    summary: manifest.summary,
    capabilities: manifest.capabilities ?? [],
    defaultFuel: BigInt(manifest.defaultFuel ?? 50_000_000),
    inputSchema: JSON.stringify(manifest.inputSchema ?? { type: 'object' }),
    outputSchema: JSON.stringify(manifest.outputSchema ?? { type: 'object' }),
  };
}

/**
 * One WIT `run` call: `skill(input, host)` with `input`'s JSON fields
 * parsed, its result encoded, and whatever it throws as a `skill-error`
 * (a host error the skill let through as the Rust SDK maps it).
 */
export function run(skill, input, host) {
  try {
    return encode(skill(decode(input), host));
  } catch (e) {
    throw asSkillError(e);
  }
}

/** The text of a JSON field, parsed; `null` when empty. */
function parse(what, text) {
  if (text === '') {
    return null;
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new SkillError('invalid-input', `${what} is not JSON: ${e.message}`);
  }
}

function decode(input) {
  return {
    event: { ...input.event, payload: parse('event payload', input.event.payload) },
    params: parse('params', input.params) ?? {},
    previous: input.previous.map((p) => ({ ...p, data: parse('previous output', p.data) })),
  };
}

/** `{ data, followUps, actions }` with JSON values, as the WIT `output`. */
function encode(out) {
  return {
    data: JSON.stringify(out?.data ?? null),
    followUps: (out?.followUps ?? []).map((f) => ({
      eventType: f.eventType,
      payload: JSON.stringify(f.payload ?? {}),
      confidence: f.confidence ?? 1,
      reason: f.reason ?? '',
    })),
    actions: (out?.actions ?? []).map((a) => ({
      kind: a.kind,
      preview: a.preview,
      payload: JSON.stringify(a.payload ?? {}),
    })),
  };
}

function asSkillError(e) {
  if (e instanceof SkillError) {
    return e;
  }
  const p = e?.payload;
  if (typeof p?.tag === 'string') {
    // A host error: `unavailable` may pass on a retry, the rest will not.
    return p.tag === 'unavailable'
      ? new SkillError('unavailable', p.val)
      : new SkillError('failed', `${p.tag.replace('-', ' ')}: ${p.val}`);
  }
  return new SkillError('failed', e instanceof Error ? `${e.name}: ${e.message}` : String(e));
}
