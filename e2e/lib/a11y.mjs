// Accessibility checks with axe-core, run inside the page as it is: WCAG 2.x A and AA rules.

import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const AXE_SOURCE = await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/**
 * Runs axe-core on the page (or the part `selector` matches) and throws, listing each
 * violation and where it is, if there is any. Injected through the DevTools protocol, so the
 * app's Content-Security-Policy does not apply to it.
 */
export async function expectNoAxeViolations(page, { selector = null, label = page.url() } = {}) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(
    async ({ selector, tags }) => {
      const results = await window.axe.run(selector ? document.querySelector(selector) : document, {
        runOnly: { type: 'tag', values: tags },
        resultTypes: ['violations'],
      });
      return results.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        targets: v.nodes.slice(0, 5).map((n) => `${n.target.join(' ')}: ${n.failureSummary.replace(/\s+/g, ' ')}`),
      }));
    },
    { selector, tags: TAGS },
  );
  if (violations.length > 0) {
    const text = violations
      .map((v) => `- ${v.id} (${v.impact}): ${v.help}\n${v.targets.map((t) => `    ${t}`).join('\n')}`)
      .join('\n');
    throw new Error(`axe found ${violations.length} accessibility violation(s) on ${label}:\n${text}`);
  }
}
