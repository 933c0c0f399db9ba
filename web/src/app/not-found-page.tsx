import { ButtonLink } from '@/components/ui/button';
import { AlertIcon } from '@/components/ui/icons';
import { EmptyState } from '@/components/ui/layout';

export function NotFoundPage() {
  return (
    <div className="page page-narrow">
      <EmptyState
        icon={<AlertIcon width={28} height={28} />}
        title="Page not found"
        testId="page-not-found"
        action={
          <ButtonLink to="/" variant="primary">
            Go to dashboard
          </ButtonLink>
        }
      >
        <p>The address may be mistyped, or the page has moved.</p>
      </EmptyState>
    </div>
  );
}
