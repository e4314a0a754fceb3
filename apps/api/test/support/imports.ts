import type { ApiResponse, Client } from './test-app.js';

/** A file sent as an import, multipart, as the web app sends it. */
export function upload(
  client: Client,
  fields: Record<string, string>,
  file: Buffer,
  name: string,
): Promise<ApiResponse> {
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) form.append(key, value);
  form.append('file', new Blob([file]), name);
  return client.raw('/imports', { method: 'POST', body: form });
}

/** The job once its check has finished, as a user polling its page sees it. */
export async function settled(client: Client, id: string, query = '') {
  for (let i = 0; i < 300; i++) {
    const job = await client.get(`/imports/${id}${query}`);
    if (job.body.status !== 'checking') return job.body;
    await new Promise((done) => setTimeout(done, 50));
  }
  throw new Error('the import never finished checking');
}

/** A file imported for a cooperative, answered once checked. */
export async function checked(
  client: Client,
  kind: 'households' | 'plots',
  cooperativeId: string,
  file: Buffer,
  name: string,
  query = '',
) {
  const started = await upload(client, { kind, cooperativeId }, file, name);
  if (started.status !== 202) throw new Error(`import: ${JSON.stringify(started.body)}`);
  return settled(client, started.body.id, query);
}
