import { PhoneIcon } from '@/components/ui/icons';
import { useRuntimeConfig } from '@/config/runtime-config-context';
import { useCustomerPhone } from '@/features/customer-phone/hooks/customer-phone-context';

/** The top bar button that opens the sandbox's customer phone; absent when Meta is real. */
export function CustomerPhoneToggle() {
  const { whatsapp } = useRuntimeConfig();
  const { open, setOpen } = useCustomerPhone();
  if (!whatsapp.sandbox) return null;
  return (
    <button
      type="button"
      className={open ? 'topbar-tool topbar-tool-active' : 'topbar-tool'}
      aria-pressed={open}
      // The panel is only in the page while open; pointing at a missing id is invalid ARIA.
      aria-controls={open ? 'customer-phone' : undefined}
      title="Write in as a customer (sandbox)"
      onClick={() => setOpen((v) => !v)}
      data-testid="customer-phone-toggle"
    >
      <PhoneIcon width={18} height={18} />
      <span className="topbar-tool-label">Customer phone</span>
    </button>
  );
}
