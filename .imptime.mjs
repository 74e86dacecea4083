const t0 = performance.now();
for (const m of process.argv.slice(2)) {
  const s = performance.now();
  await import(m.startsWith('.') ? new URL(m, 'file://' + process.cwd() + '/').href : m);
  console.log((performance.now() - s).toFixed(0).padStart(5), 'ms', m);
}
