// The emulator's admin endpoints (src/emulator/admin-mutations.ts), as tests change the world the way a
// CloudTrail-logged write would: the answer's JSON, or an error naming the call and what the emulator said.
export async function emulatorAdmin(
  url: string,
  method: 'POST' | 'DELETE',
  path: string,
  body: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const res = await fetch(`${url}/_emulator/${path}`, { method, body: JSON.stringify(body) });
  if (res.status !== 200) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  const text = await res.text();
  return text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
}
