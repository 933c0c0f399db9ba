// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';

import { RequireAdmin } from '@/app/require-admin';
import type { Role } from '@/gql/graphql';
import { OrganizationContext } from '@/lib/organization-context';
import { organizationContext } from '@/test/graphql';
import { render } from '@/test/render';

function adminPageAs(role: Role) {
  return (
    <OrganizationContext.Provider value={organizationContext({ viewerRole: role })}>
      <RequireAdmin>
        <p data-testid="admin-page">secret settings</p>
      </RequireAdmin>
    </OrganizationContext.Provider>
  );
}

describe('RequireAdmin', () => {
  it('shows a Member the forbidden panel instead of an Admin page', async () => {
    const view = await render(adminPageAs('MEMBER'));
    expect(view.byTestId('forbidden')).not.toBeNull();
    expect(view.byTestId('admin-page')).toBeNull();
    await view.unmount();
  });

  it('lets Admins and Owners in', async () => {
    for (const role of ['ADMIN', 'OWNER'] as const) {
      const view = await render(adminPageAs(role));
      expect(view.byTestId('admin-page')).not.toBeNull();
      expect(view.byTestId('forbidden')).toBeNull();
      await view.unmount();
    }
  });
});
