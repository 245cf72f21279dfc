import jsonata from 'jsonata';
test('scratch', async () => {
  const src = '$reduce([1..100000], function($a, $b){ $a + $b })';
  let t = Date.now(); await jsonata(src).evaluate({}); console.log('plain', Date.now() - t);
  const e = jsonata(src); (e as any).assign(Symbol.for('jsonata.__evaluate_entry'), () => {}); t = Date.now(); await e.evaluate({}); console.log('entry', Date.now() - t);
  let n = 0; t = Date.now(); for (let i = 0; i < 1e6; i++) { await Promise.resolve(i); n++; } console.log('1M awaits', Date.now() - t);
}, 120000);
