// The table extraction both engines run in the page (extract.ts, puppeteer/extract.ts): row objects keyed by the
// header cells' text (th in thead, else the first row). It is serialized into the page, so it may use no named inner
// functions, which the test loader's transpiler would wrap in a helper the page does not have.

export const tableRowsInPage = (el: Element): Array<Record<string, string>> => {
  const rows = Array.from(el.querySelectorAll('tr'))
    .filter((tr) => tr.closest('table') === el)
    .map((tr) => ({
      inHead: tr.parentElement?.tagName === 'THEAD',
      hasData: tr.querySelector('td') !== null,
      cells: Array.from(tr.children).map((cell) => (cell as HTMLElement).innerText.replace(/\s+/g, ' ').trim()),
    }));
  const headIndex = Math.max(
    0,
    rows.findIndex((row) => row.inHead),
  );
  if (!rows[headIndex]) return [];
  const headers = rows[headIndex].cells.map((text, i) => text || `column${i + 1}`);
  return rows
    .filter((row, i) => i !== headIndex && row.hasData)
    .map((row) => Object.fromEntries(row.cells.map((text, i) => [headers[i] ?? `column${i + 1}`, text])));
};
