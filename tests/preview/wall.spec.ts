// The NOC wall read from across a room (issue 11, item 0): the app's TV mode at 1920×1080 and 3840×2160 has the
// type sizes src/components/slo/wallType.ts states (in units of 1 % of the screen height, so 4K doubles them), its
// tiles fill the screen without scrolling, and Tab stays on the wall instead of landing on Grafana's hidden chrome.
import { testIds } from '../../src/components/testIds';
import { WALL_TYPE } from '../../src/components/slo/wallType';
import { APP, SCREENSHOTS, expect, requireStack, test, waitForAppPage } from './fixtures';

test.beforeAll(async ({ request }) => {
  await requireStack(request);
});

const fontPx = (el: Element) => parseFloat(getComputedStyle(el).fontSize);

for (const [w, h] of [
  [1920, 1080],
  [3840, 2160],
] as const) {
  test(`TV mode at ${w}×${h}: the stated type sizes, tiles filling the screen, nothing scrolls`, async ({
    page,
    consoleErrors,
  }) => {
    await page.setViewportSize({ width: w, height: h });
    await page.goto(`${APP}/slos?kiosk`);
    await waitForAppPage(page, testIds.overview.kiosk);
    const u = h / 100;
    const grid = page.getByTestId(testIds.overview.grid);
    const tiles = grid.getByRole('article');
    await expect(tiles).toHaveCount(3);
    const tile = grid.getByTestId(testIds.overview.tile('api-availability'));
    const sizes = {
      title: await tile.getByTestId(testIds.overview.title).evaluate(fontPx),
      rows: await tile.locator('dd').first().evaluate(fontPx),
      chip: await tile.getByTestId(testIds.overview.alertState).first().evaluate(fontPx),
      percent: await tile.getByTestId(testIds.overview.remaining).evaluate(fontPx),
      pageTitle: await page.getByRole('heading', { name: 'Veza SLOs' }).evaluate(fontPx),
    };
    expect(sizes.title).toBeCloseTo(u * WALL_TYPE.title, 0);
    expect(sizes.rows).toBeCloseTo(u * WALL_TYPE.rows, 0);
    expect(sizes.chip).toBeCloseTo(u * WALL_TYPE.chip, 0);
    expect(sizes.percent).toBeCloseTo(u * WALL_TYPE.gauge * 0.19, 0);
    expect(sizes.pageTitle).toBeCloseTo(u * WALL_TYPE.pageTitle, 0);
    // At 1080p: rows ≥ 34 px and chips ≥ 28 px (they were 21 and 18).
    expect(sizes.rows).toBeGreaterThanOrEqual(34 * (h / 1080));
    // Three tiles side by side, reaching the bottom of the screen, and nothing to scroll.
    const tops = await tiles.evaluateAll((els) => els.map((e) => Math.round(e.getBoundingClientRect().top)));
    expect(new Set(tops).size).toBe(1);
    const box = (await grid.boundingBox())!;
    expect(box.y + box.height).toBeGreaterThan(h * 0.9);
    const kiosk = page.getByTestId(testIds.overview.kiosk);
    expect(await kiosk.evaluate((el) => el.scrollHeight - el.clientHeight)).toBeLessThanOrEqual(0);
    await page.screenshot({ path: `${SCREENSHOTS}/wall-${w}x${h}.png` });
    expect(consoleErrors, 'console errors').toEqual([]);
  });
}

test('TV mode: Tab starts on the wall and stays there (Grafana’s chrome behind it is never focused)', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.goto(`${APP}/slos?kiosk`);
  await waitForAppPage(page, testIds.overview.kiosk);
  await expect(page.getByTestId(testIds.overview.grid).getByRole('article')).toHaveCount(3);
  const kiosk = page.getByTestId(testIds.overview.kiosk);
  const seen = new Set<string>();
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press(i % 13 === 12 ? 'Shift+Tab' : 'Tab');
    const where = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      const wall = document.querySelector('[data-testid="data-testid slo-kiosk"]');
      const r = el?.getBoundingClientRect();
      return {
        inside: !!el && !!wall && wall.contains(el),
        visible: !!r && r.width > 0 && r.height > 0,
        text: `${el?.getAttribute('href') ?? el?.tagName} ${el?.textContent?.trim().slice(0, 40)}`,
      };
    });
    expect(where, `Tab ${i + 1}`).toMatchObject({ inside: true, visible: true });
    seen.add(where.text);
  }
  // It went round: every tile's links were reached, not one element over and over.
  expect(seen.size).toBeGreaterThanOrEqual(6);
  await expect(kiosk).toBeVisible();
});
