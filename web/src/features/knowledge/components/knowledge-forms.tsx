import { useState, type FormEvent } from 'react';
import { useMutation } from 'urql';

import { Button } from '@/components/ui/button';
import { FormError } from '@/components/ui/feedback';
import { LinkIcon, UploadIcon } from '@/components/ui/icons';
import { Card, Field } from '@/components/ui/layout';
import { AddKnowledgeUrlDocument } from '@/features/knowledge/api/knowledge';
import {
  isKnowledgeFileName,
  MAX_KNOWLEDGE_FILE_BYTES,
  uploadKnowledgeFile,
} from '@/features/knowledge/api/knowledge-files';
import { LANGUAGES, RECRAWL_CHOICES, urlFormInput, type UrlForm } from '@/features/knowledge/utils/sources';
import { useAuth } from '@/lib/auth-context';

function LanguageSelect({ id, value, onChange, testId }: { id: string; value: string; onChange: (v: string) => void; testId: string }) {
  return (
    <select id={id} className="select" value={value} onChange={(e) => onChange(e.target.value)} data-testid={testId}>
      {LANGUAGES.map((l) => (
        <option key={l.value} value={l.value}>
          {l.label}
        </option>
      ))}
    </select>
  );
}

/** A document (PDF, Word, text, Markdown, HTML) uploaded for the agents to answer from. */
export function KnowledgeUploadForm({ organizationId, onAdded }: { organizationId: string; onAdded: (sourceId: string) => void }) {
  const { getAccessToken } = useAuth();
  const [file, setFile] = useState<File | null>(null);
  const [language, setLanguage] = useState('en');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [inputKey, setInputKey] = useState(0);

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (!file) {
      setProblem('Choose a PDF, Word (.docx), text, Markdown or HTML file first.');
      return;
    }
    if (!isKnowledgeFileName(file.name)) {
      setProblem('Only .pdf, .docx, .txt, .md and .html files can be read.');
      return;
    }
    if (file.size > MAX_KNOWLEDGE_FILE_BYTES) {
      setProblem('Files up to 25 MB can be added.');
      return;
    }
    setBusy(true);
    setProblem(null);
    try {
      const uploaded = await uploadKnowledgeFile({ organizationId, file, language, token: getAccessToken() });
      setFile(null);
      setInputKey((k) => k + 1);
      onAdded(uploaded.sourceId);
    } catch (error) {
      setProblem(error instanceof Error ? error.message : 'The upload failed.');
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card title="Upload a document" description="PDF, Word (.docx), text, Markdown or HTML, up to 25 MB." testId="knowledge-upload-card">
      <form className="form" onSubmit={(e) => void onSubmit(e)} noValidate data-testid="knowledge-upload-form">
        <div className="form-grid">
          <Field label="Document" htmlFor="knowledge-file">
            <input
              key={inputKey}
              id="knowledge-file"
              type="file"
              className="input input-file"
              accept=".pdf,.docx,.txt,.md,.markdown,.html,.htm"
              onChange={(e) => {
                setFile(e.target.files?.[0] ?? null);
                setProblem(null);
              }}
              data-testid="knowledge-file-input"
            />
          </Field>
          <Field label="Language of its text" htmlFor="knowledge-file-language">
            <LanguageSelect id="knowledge-file-language" value={language} onChange={setLanguage} testId="knowledge-file-language" />
          </Field>
        </div>
        <div className="form-actions form-actions-start">
          <Button type="submit" variant="primary" busy={busy} disabled={!file} icon={<UploadIcon width={16} height={16} />} data-testid="knowledge-upload">
            Upload
          </Button>
        </div>
        <FormError message={problem} testId="knowledge-upload-error" />
      </form>
    </Card>
  );
}

const EMPTY_URL_FORM: UrlForm = { url: '', depth: '0', maxPages: '', language: 'en', recrawlHours: '' };

/** A web page, or a site crawled from it. */
export function KnowledgeUrlForm({ organizationId, onAdded }: { organizationId: string; onAdded: (sourceId: string) => void }) {
  const [form, setForm] = useState<UrlForm>(EMPTY_URL_FORM);
  const [invalid, setInvalid] = useState<{ field: string; message: string } | null>(null);
  const [{ fetching, error }, add] = useMutation(AddKnowledgeUrlDocument);
  const set = (patch: Partial<UrlForm>) => {
    setForm((f) => ({ ...f, ...patch }));
    setInvalid(null);
  };
  const fieldError = (field: string) => (invalid?.field === field ? invalid.message : null);

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    const checked = urlFormInput(form);
    if (!checked.ok) {
      setInvalid({ field: checked.field, message: checked.message });
      return;
    }
    const { url, depth, maxPages, language, recrawlHours } = checked.value;
    const result = await add({ input: { organizationId, url, depth, maxPages, language, recrawlHours } });
    if (!result.data) return;
    setForm(EMPTY_URL_FORM);
    onAdded(result.data.addKnowledgeUrl.id);
  }

  return (
    <Card
      title="Add a web page"
      description="One page, or the site around it: links on the same host are followed up to the depth you set (robots.txt is honoured)."
      testId="knowledge-url-card"
    >
      <form className="form" onSubmit={(e) => void onSubmit(e)} noValidate data-testid="knowledge-url-form">
        <Field label="Address" htmlFor="knowledge-url" error={fieldError('url')}>
          <input
            id="knowledge-url"
            type="url"
            className="input"
            placeholder="https://example.com/help"
            value={form.url}
            onChange={(e) => set({ url: e.target.value })}
            aria-invalid={fieldError('url') ? true : undefined}
            data-testid="knowledge-url-input"
          />
        </Field>
        <div className="form-grid">
          <Field label="Depth (0–5)" htmlFor="knowledge-url-depth" error={fieldError('depth')} hint="0: that page only.">
            <input
              id="knowledge-url-depth"
              type="number"
              min={0}
              max={5}
              className="input"
              value={form.depth}
              onChange={(e) => set({ depth: e.target.value })}
              data-testid="knowledge-url-depth"
            />
          </Field>
          <Field label="Max pages" htmlFor="knowledge-url-max-pages" error={fieldError('maxPages')} hint="Blank: 1, or 50 when crawling.">
            <input
              id="knowledge-url-max-pages"
              type="number"
              min={1}
              max={500}
              className="input"
              value={form.maxPages}
              onChange={(e) => set({ maxPages: e.target.value })}
              data-testid="knowledge-url-max-pages"
            />
          </Field>
          <Field label="Language" htmlFor="knowledge-url-language">
            <LanguageSelect id="knowledge-url-language" value={form.language} onChange={(language) => set({ language })} testId="knowledge-url-language" />
          </Field>
          <Field label="Read again" htmlFor="knowledge-url-recrawl" hint="Keeps the agent current when the site changes.">
            <select
              id="knowledge-url-recrawl"
              className="input"
              value={form.recrawlHours}
              onChange={(e) => set({ recrawlHours: e.target.value })}
              data-testid="knowledge-url-recrawl"
            >
              {RECRAWL_CHOICES.map((c) => (
                <option key={c.value} value={c.value}>
                  {c.label}
                </option>
              ))}
            </select>
          </Field>
        </div>
        <div className="form-actions form-actions-start">
          <Button type="submit" variant="primary" busy={fetching} icon={<LinkIcon width={16} height={16} />} data-testid="knowledge-url-add">
            Add page
          </Button>
        </div>
        <FormError error={error} />
      </form>
    </Card>
  );
}
