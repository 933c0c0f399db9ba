/** Meta's limits for the WhatsApp Business profile. */
export const PROFILE_LIMITS = { about: 139, address: 256, description: 512, email: 128, websites: 2, website: 256 } as const;

/** Meta's business categories. */
export const VERTICALS: readonly { value: string; label: string }[] = [
  { value: 'OTHER', label: 'Other' },
  { value: 'AUTO', label: 'Automotive' },
  { value: 'BEAUTY', label: 'Beauty, spa and salon' },
  { value: 'APPAREL', label: 'Clothing and apparel' },
  { value: 'EDU', label: 'Education' },
  { value: 'ENTERTAIN', label: 'Entertainment' },
  { value: 'EVENT_PLAN', label: 'Event planning and service' },
  { value: 'FINANCE', label: 'Finance and banking' },
  { value: 'GROCERY', label: 'Food and grocery' },
  { value: 'GOVT', label: 'Public service' },
  { value: 'HOTEL', label: 'Hotel and lodging' },
  { value: 'HEALTH', label: 'Medical and health' },
  { value: 'NONPROFIT', label: 'Non-profit' },
  { value: 'PROF_SERVICES', label: 'Professional services' },
  { value: 'RETAIL', label: 'Shopping and retail' },
  { value: 'TRAVEL', label: 'Travel and transportation' },
  { value: 'RESTAURANT', label: 'Restaurant' },
  { value: 'NOT_A_BIZ', label: 'Not a business' },
];

export interface BusinessProfileDraft {
  about: string;
  address: string;
  description: string;
  email: string;
  vertical: string;
  websites: string[];
}

export type BusinessProfileField = 'about' | 'address' | 'description' | 'email' | 'website1' | 'website2';

/** Problems with a profile edit, by field; empty when it can be saved. */
export function validateBusinessProfile(draft: BusinessProfileDraft): Partial<Record<BusinessProfileField, string>> {
  const errors: Partial<Record<BusinessProfileField, string>> = {};
  const tooLong = (value: string, limit: number) => value.trim().length > limit;
  if (tooLong(draft.about, PROFILE_LIMITS.about)) errors.about = `At most ${PROFILE_LIMITS.about} characters.`;
  if (tooLong(draft.address, PROFILE_LIMITS.address)) errors.address = `At most ${PROFILE_LIMITS.address} characters.`;
  if (tooLong(draft.description, PROFILE_LIMITS.description)) {
    errors.description = `At most ${PROFILE_LIMITS.description} characters.`;
  }
  const email = draft.email.trim();
  if (email.length > PROFILE_LIMITS.email) errors.email = `At most ${PROFILE_LIMITS.email} characters.`;
  else if (email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) errors.email = 'That does not look like an email address.';
  draft.websites.slice(0, PROFILE_LIMITS.websites).forEach((raw, i) => {
    const site = raw.trim();
    const key = i === 0 ? 'website1' : 'website2';
    if (!site) return;
    if (site.length > PROFILE_LIMITS.website) errors[key] = `At most ${PROFILE_LIMITS.website} characters.`;
    else if (!/^https?:\/\/[^\s/$.?#][^\s]*$/i.test(site)) errors[key] = 'Start the address with http:// or https://.';
  });
  return errors;
}

/** The websites to save: trimmed, non-empty, at most two. */
export function profileWebsites(websites: readonly string[]): string[] {
  return websites
    .map((w) => w.trim())
    .filter(Boolean)
    .slice(0, PROFILE_LIMITS.websites);
}
