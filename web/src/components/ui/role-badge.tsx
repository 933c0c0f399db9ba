import type { Role } from '@/gql/graphql';
import { ROLE_LABELS } from '@/lib/roles';

export function RoleBadge({ role, testId }: { role: Role; testId?: string }) {
  return (
    <span className={`badge badge-role-${role.toLowerCase()}`} data-testid={testId} data-role={role}>
      {ROLE_LABELS[role]}
    </span>
  );
}

export function StatusBadge({ tone, children }: { tone: 'neutral' | 'success' | 'warning' | 'danger'; children: string }) {
  return <span className={`badge badge-${tone}`}>{children}</span>;
}
