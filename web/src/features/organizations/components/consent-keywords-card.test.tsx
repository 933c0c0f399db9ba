// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';

import { ConsentKeywordsCard, parseKeywords } from '@/features/organizations/components/consent-keywords-card';
import type { Role } from '@/gql/graphql';
import { OrganizationContext } from '@/lib/organization-context';
import { organizationContext, stubGraphqlFetch, testClient, withApp } from '@/test/graphql';
import { click, render, typeInto, waitFor } from '@/test/render';

type Responder = Parameters<typeof stubGraphqlFetch>[0][string];

const DEFAULTS = { optOutKeywords: ['STOP', 'PARAR', 'BAJA'], optInKeywords: ['START', 'VOLTAR'] };

const settings: Responder = () => ({
  data: { organization: { __typename: 'Organization', id: 'org-1', defaultCountry: null, ...DEFAULTS } },
});

const saved: Responder = (call) => {
  const input = call.variables.input as { optOut: string[]; optIn: string[] };
  return {
    data: {
      setOrganizationConsentKeywords: {
        __typename: 'Organization',
        id: 'org-1',
        optOutKeywords: input.optOut,
        optInKeywords: input.optIn,
      },
    },
  };
};

async function renderAs(viewerRole: Role, responders: Record<string, Responder> = {}) {
  const server = stubGraphqlFetch({ OrganizationContactSettings: settings, SetOrganizationConsentKeywords: saved, ...responders });
  const view = await render(
    withApp({
      client: testClient(server.fetch),
      url: '/orgs/org-1/settings',
      path: '/orgs/:orgId/settings',
      element: (
        <OrganizationContext.Provider value={organizationContext({ viewerRole })}>
          <ConsentKeywordsCard />
        </OrganizationContext.Provider>
      ),
    }),
  );
  await waitFor(() => expect(view.byTestId('loading')).toBeNull());
  return { view, server };
}

const OPT_OUT = 'organization-opt-out-keywords-input';
const OPT_IN = 'organization-opt-in-keywords-input';
const value = (element: HTMLElement | null) => (element as HTMLInputElement).value;

describe('parseKeywords', () => {
  it('splits at commas, trims and leaves blanks out', () => {
    expect(parseKeywords(' Stop, PARAR ,, ')).toEqual(['Stop', 'PARAR']);
    expect(parseKeywords('  ')).toEqual([]);
  });
});

describe('ConsentKeywordsCard', () => {
  it('shows a Member the words read-only', async () => {
    const { view } = await renderAs('MEMBER');
    expect(view.byTestId('opt-out-keywords-value')?.textContent).toBe('STOP, PARAR, BAJA');
    expect(view.byTestId('opt-in-keywords-value')?.textContent).toBe('START, VOLTAR');
    expect(view.byTestId('consent-keywords-form')).toBeNull();
    await view.unmount();
  });

  it('lets an Admin replace the words and saves them as lists', async () => {
    const { view, server } = await renderAs('ADMIN');
    expect(value(view.byTestId(OPT_OUT))).toBe('STOP, PARAR, BAJA');
    expect((view.byTestId('consent-keywords-submit') as HTMLButtonElement).disabled).toBe(true);

    await typeInto(view.byTestId(OPT_OUT), 'Unsubscribe, chega ,');
    await click(view.byTestId('consent-keywords-submit'));

    await waitFor(() => expect(view.byTestId('consent-keywords-saved')?.textContent).toBe('Saved.'));
    expect(server.calls.map((c) => c.operationName)).toEqual(['OrganizationContactSettings', 'SetOrganizationConsentKeywords']);
    expect(server.calls[1]?.variables).toEqual({
      input: { organizationId: 'org-1', optOut: ['Unsubscribe', 'chega'], optIn: ['START', 'VOLTAR'] },
    });
    expect(value(view.byTestId(OPT_OUT))).toBe('Unsubscribe, chega');
    await view.unmount();
  });

  it('asks for at least one word of each kind before sending anything', async () => {
    const { view, server } = await renderAs('OWNER');
    await typeInto(view.byTestId(OPT_IN), ' , ');
    await click(view.byTestId('consent-keywords-submit'));

    expect(view.byTestId('organization-opt-in-keywords-error')?.textContent).toBe('Add at least one opt-in keyword.');
    expect(view.byTestId(OPT_IN)?.getAttribute('aria-invalid')).toBe('true');
    expect(server.calls.map((c) => c.operationName)).toEqual(['OrganizationContactSettings']);
    await view.unmount();
  });

  it("shows the server's message when a word is refused", async () => {
    const { view } = await renderAs('OWNER', {
      SetOrganizationConsentKeywords: () => ({
        errors: [{ message: '`stop` cannot both stop and resume marketing messages', extensions: { code: 'VALIDATION' } }],
      }),
    });
    await typeInto(view.byTestId(OPT_IN), 'START, stop');
    await click(view.byTestId('consent-keywords-submit'));

    await waitFor(() =>
      expect(view.byTestId('consent-keywords-error')?.textContent).toBe('`stop` cannot both stop and resume marketing messages'),
    );
    expect(view.byTestId('consent-keywords-saved')).toBeNull();
    await view.unmount();
  });

  it('resets the words to the defaults the server answers', async () => {
    const { view, server } = await renderAs('ADMIN', {
      OrganizationContactSettings: () => ({
        data: {
          organization: { __typename: 'Organization', id: 'org-1', defaultCountry: null, optOutKeywords: ['CHEGA'], optInKeywords: ['VOLTO'] },
        },
      }),
      ResetOrganizationConsentKeywords: () => ({
        data: { resetOrganizationConsentKeywords: { __typename: 'Organization', id: 'org-1', ...DEFAULTS } },
      }),
    });
    expect(value(view.byTestId(OPT_OUT))).toBe('CHEGA');

    await click(view.byTestId('consent-keywords-reset'));

    await waitFor(() => expect(value(view.byTestId(OPT_OUT))).toBe('STOP, PARAR, BAJA'));
    expect(value(view.byTestId(OPT_IN))).toBe('START, VOLTAR');
    expect(view.byTestId('consent-keywords-saved')?.textContent).toBe('Saved.');
    expect(server.calls[1]?.variables).toEqual({ input: { organizationId: 'org-1' } });
    await view.unmount();
  });
});
