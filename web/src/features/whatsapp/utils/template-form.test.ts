import { describe, expect, it } from 'vitest';

import { validateBusinessProfile } from '@/features/whatsapp/utils/business-profile';
import { messagingLimitLabel, parseMetaId, qualityTone } from '@/features/whatsapp/utils/numbers';
import { validateTemplateDraft, type TemplateDraft } from '@/features/whatsapp/utils/template-form';

const draft: TemplateDraft = {
  name: 'order_update',
  language: 'en_US',
  category: 'UTILITY',
  headerText: '',
  bodyText: 'Hi {{1}}, your order {{2}} is on its way.',
  footerText: 'Reply STOP to opt out',
  bodyExamples: ['Ana', '#1042'],
};

describe('validateTemplateDraft', () => {
  it('accepts a good draft and sends one example per placeholder', () => {
    const checked = validateTemplateDraft({ ...draft, bodyExamples: ['Ana', '#1042', 'left over'] });
    expect(checked).toEqual({
      ok: true,
      value: {
        name: 'order_update',
        language: 'en_US',
        category: 'UTILITY',
        bodyText: 'Hi {{1}}, your order {{2}} is on its way.',
        bodyExamples: ['Ana', '#1042'],
        headerText: null,
        footerText: 'Reply STOP to opt out',
      },
    });
  });

  it('asks for an example for every placeholder', () => {
    const checked = validateTemplateDraft({ ...draft, bodyExamples: ['Ana'] });
    expect(checked.ok).toBe(false);
    if (!checked.ok) expect(checked.errors.examples).toEqual([null, expect.stringMatching(/\{\{2\}\}/)]);
  });

  it("refuses names, languages and bodies Meta would reject", () => {
    const checked = validateTemplateDraft({
      ...draft,
      name: 'Order Update',
      language: 'english',
      bodyText: 'Hi {{1}}, code {{3}}.',
      footerText: 'x'.repeat(61),
    });
    expect(checked.ok).toBe(false);
    if (!checked.ok) {
      expect(Object.keys(checked.errors.fields).sort()).toEqual(['body', 'footer', 'language', 'name']);
      expect(checked.errors.fields.body).toMatch(/without gaps/);
    }
  });
});

describe('validateBusinessProfile', () => {
  it("enforces Meta's limits", () => {
    expect(
      validateBusinessProfile({
        about: 'a'.repeat(140),
        address: 'b'.repeat(257),
        description: 'c'.repeat(513),
        email: 'not-an-email',
        vertical: 'RETAIL',
        websites: ['example.com', 'https://ok.example'],
      }),
    ).toEqual({
      about: 'At most 139 characters.',
      address: 'At most 256 characters.',
      description: 'At most 512 characters.',
      email: 'That does not look like an email address.',
      website1: 'Start the address with http:// or https://.',
    });
    expect(
      validateBusinessProfile({ about: 'a'.repeat(139), address: '', description: '', email: '', vertical: '', websites: ['', ''] }),
    ).toEqual({});
  });
});

describe('numbers', () => {
  it('colours quality and reads limits', () => {
    expect(qualityTone('GREEN')).toBe('success');
    expect(qualityTone('YELLOW')).toBe('warning');
    expect(qualityTone('RED')).toBe('danger');
    expect(qualityTone(null)).toBe('neutral');
    expect(messagingLimitLabel('TIER_1K')).toBe('1K customers / 24 h');
    expect(messagingLimitLabel('TIER_UNLIMITED')).toBe('Unlimited');
    expect(messagingLimitLabel(null)).toBe('—');
  });

  it('checks Meta ids before asking the server', () => {
    expect(parseMetaId(' 1234567890 ', 'phone number id')).toEqual({ ok: true, value: '1234567890' });
    expect(parseMetaId('EAAG...', 'phone number id').ok).toBe(false);
    expect(parseMetaId('', 'phone number id')).toEqual({ ok: false, message: 'Enter the phone number id.' });
  });
});
