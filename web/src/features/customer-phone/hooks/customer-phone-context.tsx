import { createContext, useContext, useMemo, useState, type ReactNode } from 'react';

export const DEFAULT_CUSTOMER_NUMBER = '15550001111';
export const DEFAULT_CUSTOMER_NAME = 'Sam Customer';

export interface CustomerPhoneSettings {
  /** Meta's id of the business number the customer writes to; null picks the first. */
  phoneNumberId: string | null;
  customerNumber: string;
  customerName: string;
}

interface CustomerPhoneState {
  open: boolean;
  setOpen: (open: boolean | ((open: boolean) => boolean)) => void;
  settings: CustomerPhoneSettings;
  setSettings: (change: Partial<CustomerPhoneSettings>) => void;
}

const CustomerPhoneContext = createContext<CustomerPhoneState | null>(null);

/** Keeps the phone open, and its customer, while the user moves between pages. */
export function CustomerPhoneProvider({ children }: { children: ReactNode }) {
  const [open, setOpen] = useState(false);
  const [settings, setAll] = useState<CustomerPhoneSettings>({
    phoneNumberId: null,
    customerNumber: DEFAULT_CUSTOMER_NUMBER,
    customerName: DEFAULT_CUSTOMER_NAME,
  });
  const value = useMemo<CustomerPhoneState>(
    () => ({ open, setOpen, settings, setSettings: (change) => setAll((s) => ({ ...s, ...change })) }),
    [open, settings],
  );
  return <CustomerPhoneContext.Provider value={value}>{children}</CustomerPhoneContext.Provider>;
}

export function useCustomerPhone(): CustomerPhoneState {
  const value = useContext(CustomerPhoneContext);
  if (!value) throw new Error('useCustomerPhone must be used inside <CustomerPhoneProvider>');
  return value;
}
