import { useState, type FormEvent, type ReactNode } from 'react';

import { Button } from '@/components/ui/button';
import { FormError } from '@/components/ui/feedback';
import { Field } from '@/components/ui/layout';
import { HoursEditor } from '@/features/agents/components/hours-editor';
import type { AgentForm, FormField } from '@/features/agents/utils/form';
import type { AgentChoicesQuery, AgentInput } from '@/gql/graphql';
import type { GraphqlErrorLike } from '@/lib/errors';
import { formToInput } from '@/features/agents/utils/form';

type Choices = AgentChoicesQuery['organization'];

const LANGUAGE_CHOICES = [
  { value: 'en', label: 'English' },
  { value: 'pt', label: 'Portuguese' },
  { value: 'es', label: 'Spanish' },
];

function Fieldset({ legend, children, testId }: { legend: string; children: ReactNode; testId?: string }) {
  return (
    <fieldset className="agent-fieldset" data-testid={testId}>
      <legend className="agent-legend">{legend}</legend>
      {children}
    </fieldset>
  );
}

function toggle(list: readonly string[], value: string, on: boolean): string[] {
  return on ? [...new Set([...list, value])] : list.filter((v) => v !== value);
}

/** Every setting of an agent; `onSave` gets the whole `AgentInput`. */
export function AgentEditor({
  organizationId,
  initial,
  choices,
  canEdit,
  saving,
  error,
  saved,
  onSave,
}: {
  organizationId: string;
  initial: AgentForm;
  choices: Choices | null;
  canEdit: boolean;
  saving: boolean;
  error: GraphqlErrorLike | null;
  saved: boolean;
  onSave: (input: AgentInput) => void;
}) {
  const [form, setForm] = useState<AgentForm>(initial);
  const [invalid, setInvalid] = useState<{ field: FormField; message: string } | null>(null);
  const [dirty, setDirty] = useState(false);
  const set = (patch: Partial<AgentForm>) => {
    setForm((f) => ({ ...f, ...patch }));
    setInvalid(null);
    setDirty(true);
  };
  const fieldError = (field: FormField) => (invalid?.field === field ? invalid.message : null);

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    const checked = formToInput(organizationId, form);
    if (!checked.ok) {
      setInvalid({ field: checked.field, message: checked.message });
      return;
    }
    setDirty(false);
    onSave(checked.input);
  }

  const numbers = choices?.phoneNumbers ?? [];
  const sources = choices?.knowledgeSources ?? [];

  return (
    <form className="form agent-form" onSubmit={onSubmit} noValidate data-testid="agent-form">
      <fieldset className="agent-form-body" disabled={!canEdit}>
        <legend className="visually-hidden">Agent settings</legend>
        <Fieldset legend="Basics">
          <Field label="Name" htmlFor="agent-name" error={fieldError('name')}>
            <input
              id="agent-name"
              className="input"
              value={form.name}
              maxLength={100}
              onChange={(e) => set({ name: e.target.value })}
              aria-invalid={fieldError('name') ? true : undefined}
              data-testid="agent-name"
            />
          </Field>
          <label className="choice agent-switch">
            <input
              type="checkbox"
              role="switch"
              checked={form.enabled}
              onChange={(e) => set({ enabled: e.target.checked })}
              data-testid="agent-enabled"
            />{' '}
            Answer customers on its own (enabled)
          </label>
          <Field label="System prompt" htmlFor="agent-system-prompt" hint="Who it is and what it does, in your words.">
            <textarea
              id="agent-system-prompt"
              className="textarea"
              rows={4}
              value={form.systemPrompt}
              onChange={(e) => set({ systemPrompt: e.target.value })}
              data-testid="agent-system-prompt"
            />
          </Field>
          <Field label="Tone" htmlFor="agent-tone" hint="e.g. warm and brief">
            <input id="agent-tone" className="input" value={form.tone} onChange={(e) => set({ tone: e.target.value })} data-testid="agent-tone" />
          </Field>
          <Field label="Rules (one per line)" htmlFor="agent-rules">
            <textarea
              id="agent-rules"
              className="textarea"
              rows={3}
              value={form.rules}
              onChange={(e) => set({ rules: e.target.value })}
              data-testid="agent-rules"
            />
          </Field>
          <fieldset className="agent-subfieldset">
            <legend className="field-label">Languages it answers in (none: any)</legend>
            <div className="agent-checks">
              {LANGUAGE_CHOICES.map((l) => (
                <label key={l.value} className="choice">
                  <input
                    type="checkbox"
                    checked={form.languages.includes(l.value)}
                    onChange={(e) => set({ languages: toggle(form.languages, l.value, e.target.checked) })}
                    data-testid="agent-language"
                    data-language={l.value}
                  />{' '}
                  {l.label}
                </label>
              ))}
            </div>
          </fieldset>
          <div className="form-grid">
            <Field label="Model" htmlFor="agent-model" hint="Blank: the server's default.">
              <input id="agent-model" className="input" value={form.model} onChange={(e) => set({ model: e.target.value })} data-testid="agent-model" />
            </Field>
            <Field label="Temperature (0–2)" htmlFor="agent-temperature" error={fieldError('temperature')}>
              <input
                id="agent-temperature"
                type="number"
                step={0.1}
                min={0}
                max={2}
                className="input"
                value={form.temperature}
                onChange={(e) => set({ temperature: e.target.value })}
                data-testid="agent-temperature"
              />
            </Field>
            <Field label="Longest answer (characters)" htmlFor="agent-max-chars" error={fieldError('maxAnswerChars')}>
              <input
                id="agent-max-chars"
                type="number"
                min={50}
                max={4096}
                className="input"
                value={form.maxAnswerChars}
                onChange={(e) => set({ maxAnswerChars: e.target.value })}
                data-testid="agent-max-chars"
              />
            </Field>
          </div>
        </Fieldset>

        <Fieldset legend="Where it answers" testId="agent-scope">
          <fieldset className="agent-subfieldset">
            <legend className="field-label">Numbers</legend>
            {numbers.length === 0 ? <p className="muted small">No WhatsApp numbers connected yet.</p> : null}
            <div className="agent-checks">
              {numbers.map((n) => (
                <label key={n.id} className="choice">
                  <input
                    type="checkbox"
                    checked={form.phoneNumberIds.includes(n.id)}
                    onChange={(e) => set({ phoneNumberIds: toggle(form.phoneNumberIds, n.id, e.target.checked) })}
                    data-testid="agent-number"
                    data-phone-number-id={n.phoneNumberId}
                  />{' '}
                  {n.verifiedName} · {n.displayPhoneNumber}
                  {n.disconnectedAt ? ' (disconnected)' : ''}
                </label>
              ))}
            </div>
          </fieldset>
          <fieldset className="agent-subfieldset">
            <legend className="field-label">Knowledge (none chosen: all of it)</legend>
            {sources.length === 0 ? <p className="muted small">No knowledge yet.</p> : null}
            <div className="agent-checks">
              {sources.map((s) => (
                <label key={s.id} className="choice">
                  <input
                    type="checkbox"
                    checked={form.knowledgeSourceIds.includes(s.id)}
                    onChange={(e) => set({ knowledgeSourceIds: toggle(form.knowledgeSourceIds, s.id, e.target.checked) })}
                    data-testid="agent-source"
                    data-source-id={s.id}
                  />{' '}
                  {s.title}
                </label>
              ))}
            </div>
          </fieldset>
        </Fieldset>

        <HoursEditor value={form.hours} onChange={(hours) => set({ hours })} disabled={!canEdit} error={fieldError('hours')} />
        <Field label="Out-of-hours message" htmlFor="agent-out-of-hours" hint="Sent once when a customer writes outside the hours.">
          <textarea
            id="agent-out-of-hours"
            className="textarea"
            rows={2}
            value={form.outOfHoursMessage}
            onChange={(e) => set({ outOfHoursMessage: e.target.value })}
            data-testid="agent-out-of-hours"
          />
        </Field>

        <Fieldset legend="Handing over to the team" testId="agent-handoff">
          <label className="choice">
            <input
              type="checkbox"
              checked={form.handoffAllowed}
              onChange={(e) => set({ handoffAllowed: e.target.checked })}
              data-testid="agent-handoff-allowed"
            />{' '}
            May hand conversations to the team
          </label>
          <label className="choice">
            <input
              type="checkbox"
              checked={form.handoffOnRequest}
              disabled={!form.handoffAllowed}
              onChange={(e) => set({ handoffOnRequest: e.target.checked })}
              data-testid="agent-handoff-on-request"
            />{' '}
            When the customer asks for a person
          </label>
          <label className="choice">
            <input
              type="checkbox"
              checked={form.handoffOnNoAnswer}
              disabled={!form.handoffAllowed}
              onChange={(e) => set({ handoffOnNoAnswer: e.target.checked })}
              data-testid="agent-handoff-on-no-answer"
            />{' '}
            When the knowledge holds no answer
          </label>
          <div className="form-grid">
            <Field label="Keywords (comma-separated)" htmlFor="agent-handoff-keywords" hint="e.g. refund, complaint">
              <input
                id="agent-handoff-keywords"
                className="input"
                value={form.handoffKeywords}
                disabled={!form.handoffAllowed}
                onChange={(e) => set({ handoffKeywords: e.target.value })}
                data-testid="agent-handoff-keywords"
              />
            </Field>
            <Field label="After missed answers in a row" htmlFor="agent-handoff-misses" error={fieldError('handoffAfterMisses')} hint="0: never.">
              <input
                id="agent-handoff-misses"
                type="number"
                min={0}
                max={10}
                className="input"
                value={form.handoffAfterMisses}
                disabled={!form.handoffAllowed}
                onChange={(e) => set({ handoffAfterMisses: e.target.value })}
                data-testid="agent-handoff-misses"
              />
            </Field>
            <Field label="Wait for more messages (ms)" htmlFor="agent-debounce" error={fieldError('debounceMs')}>
              <input
                id="agent-debounce"
                type="number"
                min={0}
                max={60000}
                step={500}
                className="input"
                value={form.debounceMs}
                onChange={(e) => set({ debounceMs: e.target.value })}
                data-testid="agent-debounce"
              />
            </Field>
          </div>
          <Field label="Handoff message" htmlFor="agent-handoff-message" error={fieldError('handoffMessage')} hint="Told to the customer once, when handed over.">
            <textarea
              id="agent-handoff-message"
              className="textarea"
              rows={2}
              value={form.handoffMessage}
              onChange={(e) => set({ handoffMessage: e.target.value })}
              data-testid="agent-handoff-message"
            />
          </Field>
        </Fieldset>
      </fieldset>
      {canEdit ? (
        <div className="form-actions form-actions-start">
          <Button type="submit" variant="primary" busy={saving} data-testid="agent-save">
            Save agent
          </Button>
          {saved && !dirty ? (
            <span className="small muted" role="status" data-testid="agent-saved">
              Saved.
            </span>
          ) : null}
        </div>
      ) : (
        <p className="muted small">Only an Admin or Owner can change the agent; you can try it in the playground.</p>
      )}
      <FormError error={error} />
    </form>
  );
}
