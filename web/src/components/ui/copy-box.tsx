import { useEffect, useRef, useState } from 'react';

import { CheckIcon, CopyIcon } from '@/components/ui/icons';

async function copyText(text: string, fallbackTarget: HTMLElement | null): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // No clipboard permission (or not a secure context): select the text so Ctrl+C works.
    if (fallbackTarget) {
      const range = document.createRange();
      range.selectNodeContents(fallbackTarget);
      const selection = window.getSelection();
      selection?.removeAllRanges();
      selection?.addRange(range);
    }
    return false;
  }
}

/**
 * A secret or link shown once, with a copy button. The element with `testId` holds exactly the
 * value as its text; the button is `${testId}-copy`.
 */
export function CopyBox({ value, testId, label }: { value: string; testId: string; label: string }) {
  const codeRef = useRef<HTMLElement>(null);
  const [copied, setCopied] = useState(false);

  useEffect(() => {
    if (!copied) return;
    const timer = window.setTimeout(() => setCopied(false), 2000);
    return () => window.clearTimeout(timer);
  }, [copied]);

  return (
    <div className="copy-box">
      <code className="copy-box-value" ref={codeRef} data-testid={testId} aria-label={label} tabIndex={0}>
        {value}
      </code>
      <button
        type="button"
        className="btn btn-secondary btn-sm"
        data-testid={`${testId}-copy`}
        onClick={() => {
          void copyText(value, codeRef.current).then(setCopied);
        }}
      >
        {copied ? <CheckIcon width={16} height={16} /> : <CopyIcon width={16} height={16} />}
        {copied ? 'Copied' : 'Copy'}
      </button>
    </div>
  );
}
