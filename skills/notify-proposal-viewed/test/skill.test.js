import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { SkillError } from '../src/baton.js';
import * as skill from '../src/skill.js';
import { FakeHost, forEvent } from './fake-host.js';

function viewed(views, company) {
  return forEvent('proposal_viewed', {
    proposal_id: 'p1',
    view_id: 'v1',
    title: 'Renewals Hub for Northwind',
    company,
    contact_name: 'Marta Ruiz',
    version: 1,
    viewed_at: '2026-11-24T09:00:00Z',
    views,
  });
}

test('the rep is told who opened which proposal and how often', () => {
  const out = FakeHost.forSkill(skill).run(viewed(2, 'Northwind'));
  assert.equal(out.actions.length, 1);
  const [a] = out.actions;
  assert.equal(a.kind, 'slack-post');
  assert.equal(
    a.payload.title,
    'Northwind opened your proposal \u201cRenewals Hub for Northwind\u201d (2nd view)',
  );
  assert.equal(a.preview, a.payload.title);
  assert.match(a.payload.text, /opened it 2 times/);
  assert.deepEqual(out.data, a.payload);
});

test('without a company the contact or the prospect is named', () => {
  const out = FakeHost.forSkill(skill).run(viewed(1, null));
  const { title } = out.actions[0].payload;
  assert.ok(title.startsWith('Marta Ruiz opened'), title);
  assert.ok(title.endsWith('(1st view)'), title);
  const input = viewed(1, '  ');
  const payload = JSON.parse(input.event.payload);
  input.event.payload = JSON.stringify({ ...payload, contact_name: null });
  assert.ok(FakeHost.forSkill(skill).run(input).data.title.startsWith('Your prospect opened'));
});

test('a later version of the proposal is said', () => {
  const input = viewed(3, 'Northwind');
  input.event.payload = JSON.stringify({ ...JSON.parse(input.event.payload), version: 2 });
  const { text } = FakeHost.forSkill(skill).run(input).data;
  assert.match(text, /This is version 2 of the proposal\./);
});

test('ordinals read as English', () => {
  const words = [1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111].map(skill.ordinal);
  assert.deepEqual(words, [
    '1st', '2nd', '3rd', '4th', '11th', '12th', '13th', '21st', '22nd', '101st', '111th',
  ]);
});

test('a payload without its proposal is invalid input', () => {
  assert.throws(
    () => FakeHost.forSkill(skill).run(forEvent('proposal_viewed', {})),
    (e) => e instanceof SkillError && e.payload.tag === 'invalid-input' && /proposal_id/.test(e.message),
  );
  assert.throws(
    () => FakeHost.forSkill(skill).run(viewed('2', 'Northwind')),
    (e) => e.payload.tag === 'invalid-input' && /`views` must be an integer/.test(e.message),
  );
});

test('the manifest is the package and asks for nothing', () => {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url)));
  assert.equal(skill.manifest.name, pkg.name);
  assert.equal(skill.manifest.version, pkg.version);
  assert.equal(skill.manifest.summary, pkg.description);
  assert.deepEqual(skill.manifest.capabilities, []);
});
