//! `baton new skill NAME --lang js`: a JavaScript skill that componentize-js
//! builds with `npm run build`, tested with node's test runner against a
//! fake host (`npm test`).
//!
//! The project: `src/skill.js` (the manifest and `run(input, host)`, plain
//! logic), `src/index.js` (the component's entry: binds the
//! `baton:skill/*` imports its world has into `host`), `src/baton.js` (the
//! WIT boundary: JSON fields, BigInt fuel, `skill-error`), `test/` (the
//! fake host and a test), `wit/world.wit` ([`super::world_wit`]) beside
//! baton's WIT, `package.json` pinning [`COMPONENTIZE_JS`]. `baton.js` and
//! the fake host are the same in every skill; baton's own JavaScript skills
//! carry the copies this writes.

use super::{SKILL_WIT, SKILL_WIT_VERSION, Scaffold, interfaces, world_wit, write};
use crate::cli::exit::Failure;
use crate::runtime::Capability;

/// The componentize-js release skills are built with (baton's own
/// JavaScript skills pin the same one).
pub(super) const COMPONENTIZE_JS: &str = "0.23.0";

/// The preview2-shim componentize-js 0.23.0 imports while building but does
/// not declare as a dependency: a skill pins it beside componentize-js, or
/// `npm ci` leaves it out.
pub(super) const PREVIEW2_SHIM: &str = "0.25.0";

/// The WIT boundary every JavaScript skill shares (`src/baton.js`).
pub(super) const BATON_JS: &str = include_str!("js/baton.js");

/// The fake host every JavaScript skill's tests share (`test/fake-host.js`).
pub(super) const FAKE_HOST_JS: &str = include_str!("js/fake-host.js");

/// Fuel a scaffolded skill declares: a small call of a componentized
/// JavaScript engine takes about 3 million (notify-proposal-viewed: 2.7
/// million), so this leaves room for the skill's own work.
const DEFAULT_FUEL: &str = "50_000_000";

/// Write the JavaScript project for `s` into `s.root`.
pub(super) fn scaffold(s: &Scaffold) -> Result<(), Failure> {
    let (root, name) = (&s.root, &s.name);
    let imports = interfaces(&s.capabilities);
    // fetch() needs wasi:http, which only an `http:` capability may import.
    let http = s
        .capabilities
        .any(|c| matches!(c, Capability::Http { .. } | Capability::HttpGranted));
    let reads_org = s.capabilities.any(|c| *c == Capability::ContextOrg);
    let capabilities: Vec<String> = s
        .capabilities
        .to_strings()
        .iter()
        .map(|c| format!("'{c}'"))
        .collect();
    write(root, "package.json", &package_json(name, http))?;
    write(root, "src/index.js", &index_js(name, &imports))?;
    write(root, "src/baton.js", BATON_JS)?;
    write(
        root,
        "src/skill.js",
        &skill_js(name, &capabilities.join(", "), reads_org),
    )?;
    write(root, "test/fake-host.js", FAKE_HOST_JS)?;
    write(root, "test/skill.test.js", &test_js(reads_org))?;
    write(root, "wit/world.wit", &world_wit(name, &s.capabilities))?;
    write(root, "wit/deps/baton-skill/skill.wit", SKILL_WIT)?;
    write(root, ".gitignore", GITIGNORE)?;
    write(root, "README.md", &readme(name))?;
    println!("created skill `{name}` (JavaScript) in {}", root.display());
    println!("  install: cd {} && npm install", root.display());
    println!("  test:    npm test");
    println!("  build:   npm run build");
    println!("  check:   baton skill check dist/{name}.wasm");
    Ok(())
}

/// What a JavaScript skill's git leaves out.
pub(super) const GITIGNORE: &str = "node_modules/\ndist/\n";

/// The scripts and the pinned toolchain. Without an `http:` capability
/// the build leaves out fetch(), so the component does not import wasi:http.
fn package_json(name: &str, http: bool) -> String {
    let disable = if http {
        "fetch-event"
    } else {
        "http fetch-event"
    };
    format!(
        r#"{{
  "name": "{name}",
  "version": "0.1.0",
  "description": "Describe what {name} does in one line.",
  "private": true,
  "type": "module",
  "scripts": {{
    "build": "mkdir -p dist && componentize-js src/index.js --wit wit --world-name {name} --disable {disable} --out dist/{name}.wasm",
    "test": "node --test test/*.test.js"
  }},
  "devDependencies": {{
    "@bytecodealliance/componentize-js": "{COMPONENTIZE_JS}",
    "@bytecodealliance/preview2-shim": "{PREVIEW2_SHIM}"
  }}
}}
"#
    )
}

/// The component's entry: one import per interface of the world.
fn index_js(name: &str, interfaces: &[&str]) -> String {
    let v = SKILL_WIT_VERSION;
    let mut imports = format!("import * as log from 'baton:skill/log@{v}';\n");
    let mut host = vec!["log"];
    for interface in interfaces {
        imports.push_str(&format!(
            "import * as {interface} from 'baton:skill/{interface}@{v}';\n"
        ));
        host.push(interface);
    }
    format!(
        r#"// The component: binds baton's imports for the skill and exports
// `describe` and `run` (`npm run build` makes dist/{name}.wasm).

{imports}import * as baton from './baton.js';
import * as skill from './skill.js';

const host = {{ {host} }};

export function describe() {{
  return baton.describe(skill.manifest);
}}

export function run(input) {{
  return baton.run(skill.run, input, host);
}}
"#,
        host = host.join(", "),
    )
}

fn skill_js(name: &str, capabilities: &str, reads_org: bool) -> String {
    let answer = if reads_org {
        "  const org = JSON.parse(host.context.read({ tag: 'org' }));\n  \
         return { data: { echo: subject, org: org.name ?? null } };"
    } else {
        "  host.log.write('debug', `echoing ${subject.length} characters`);\n  \
         return { data: { echo: subject } };"
    };
    format!(
        r#"// The `{name}` skill: say here what it reads, what it proposes and for whom.

import {{ SkillError }} from './baton.js';

export const manifest = {{
  name: '{name}',
  version: '0.1.0',
  summary: 'Describe what {name} does in one line.',
  capabilities: [{capabilities}],
  // Fuel one call usually needs; `baton skill run --stats` shows a call's.
  defaultFuel: {DEFAULT_FUEL},
  inputSchema: {{ type: 'object' }},
  outputSchema: {{ type: 'object' }},
}};

/**
 * One step of a job. `input.event.payload` is the event's body,
 * `input.params` the step's parameters, `input.previous` the earlier steps'
 * outputs; `host` holds baton's imports as componentize-js binds them
 * (`host.log.write('info', message)`). Returns `{{ data, followUps, actions }}`;
 * throws a `SkillError` to refuse the call.
 */
export function run(input, host) {{
  const {{ subject }} = input.event.payload ?? {{}};
  if (typeof subject !== 'string') {{
    throw new SkillError('invalid-input', 'event payload: `subject` must be a string');
  }}
{answer}
}}
"#
    )
}

fn test_js(reads_org: bool) -> String {
    let (host, expected, denied) = if reads_org {
        (
            "FakeHost.forSkill(skill).org({ name: 'Acme' })",
            "{ echo: 'hello', org: 'Acme' }",
            r#"
test('without context:org granted the call fails', () => {
  const host = FakeHost.forSkill(skill).org({ name: 'Acme' }).revoke('context:org');
  assert.throws(
    () => host.run(forEvent('demo', { subject: 'hello' })),
    (e) => e instanceof SkillError && e.kind === 'failed' && /denied/.test(e.message),
  );
  assert.deepEqual(host.denied, ['context:org']);
});
"#,
        )
    } else {
        ("FakeHost.forSkill(skill)", "{ echo: 'hello' }", "")
    };
    format!(
        r#"import assert from 'node:assert/strict';
import {{ test }} from 'node:test';
import {{ SkillError }} from '../src/baton.js';
import * as skill from '../src/skill.js';
import {{ FakeHost, forEvent }} from './fake-host.js';

test('echoes the subject', () => {{
  const out = {host}.run(forEvent('demo', {{ subject: 'hello' }}));
  assert.deepEqual(out.data, {expected});
}});

test('an event without a subject is invalid input', () => {{
  assert.throws(
    () => FakeHost.forSkill(skill).run(forEvent('demo', {{}})),
    (e) => e instanceof SkillError && e.kind === 'invalid-input',
  );
}});
{denied}"#
    )
}

fn readme(name: &str) -> String {
    format!(
        r#"# {name}

A baton skill in JavaScript, made into a WebAssembly component by
componentize-js {COMPONENTIZE_JS}.

    npm install        # the toolchain, pinned in package.json
    npm test           # node's test runner, against a fake host
    npm run build      # dist/{name}.wasm
    baton skill check dist/{name}.wasm

- `src/skill.js`: the skill, its manifest and `run(input, host)`.
- `src/index.js`: the component's entry; binds baton's imports into `host`.
- `src/baton.js`, `test/fake-host.js`: the boundary to baton's types and
  the fake host, the same in every skill.
- `wit/world.wit`: what the component imports: `skill-core` and one
  `with-*` world per interface the capabilities need. Declaring a
  capability of another interface (`context:*`, `approvals`, `llm`) takes
  its `include` here and its import in `src/index.js`.
  `wit/deps/baton-skill/skill.wit` is baton's contract, `baton:skill@{SKILL_WIT_VERSION}`.
"#
    )
}
