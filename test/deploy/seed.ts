// test:deploy's bulk data, written with the factories and migrations of the code tree given
// (the previous release's extracted tree, so the rows fit ITS schema; the patients' own data
// then goes through its API, run.ts fillThroughApi):
//   tsx test/deploy/seed.ts <tree> <database url>
// Migrates the database with that tree's migrations, then writes a clinic, a doctor with 600
// times over three days, a doctor with none (the waitlist journey's), 400 patients with a
// confirmed main person, and a moderator; prints them as JSON on its last line.
import path from 'node:path';
import { pathToFileURL } from 'node:url';

type Catalogue = typeof import('../factories/catalogue.js');
type Identity = typeof import('../factories/identity.js');
type Db = typeof import('../../src/server/db/index.js');
type Config = typeof import('../../src/server/config.js');

export interface SeededWorld {
  patients: Array<{ email: string; password: string; personId: string }>;
  slots: number[];
  doctorId: number;
  busyDoctorId: number;
  /** Free times of a doctor of another specialty, for the patients who sign up through the API. */
  apiSlots: number[];
  apiDoctorId: number;
  moderator: { email: string; password: string };
}

async function main(): Promise<void> {
  const [tree, dbUrl] = process.argv.slice(2);
  if (!tree || !dbUrl) throw new Error('usage: tsx test/deploy/seed.ts <tree> <database url>');
  const load = <T>(file: string) => import(pathToFileURL(path.join(tree, file)).href) as Promise<T>;
  const catalogue = await load<Catalogue>('test/factories/catalogue.ts');
  const identity = await load<Identity>('test/factories/identity.ts');
  const db = await load<Db>('src/server/db/index.ts');
  const config = await load<Config>('src/server/config.ts');

  const database = await db.openDatabase({ databaseUrl: dbUrl, dataDir: null, poolSize: 4 });
  try {
    await db.runMigrations(database, dbUrl);
    const ctx = {
      config: config.loadConfig({ NODE_ENV: 'test', DEMO: '0', DATABASE_URL: dbUrl }),
      db: database.db,
      now: () => new Date(),
    };
    const setup = await catalogue.createBookableSetup(ctx);
    const starts: Date[] = [];
    const first = new Date(Date.now() + 2 * 86_400_000);
    first.setUTCHours(5, 0, 0, 0);
    for (let i = 0; i < 600; i++) starts.push(new Date(first.getTime() + i * 15 * 60_000));
    const doctor = await catalogue.createDoctor(ctx, {
      organisationId: setup.organisation.id,
      specialtyId: setup.specialty.id,
    });
    const slots = await catalogue.createSlots(ctx, doctor.id, starts, 15);
    const busy = await catalogue.createDoctor(ctx, {
      organisationId: setup.organisation.id,
      specialtyId: setup.specialty.id,
    });
    // Another specialty: a patient with a visit to a specialty does not join its waitlist.
    const apiSpecialty = await catalogue.createSpecialty(ctx);
    const apiDoctor = await catalogue.createDoctor(ctx, {
      organisationId: setup.organisation.id,
      specialtyId: apiSpecialty.id,
    });
    const apiSlots = await catalogue.createSlots(ctx, apiDoctor.id, starts.slice(0, 60), 15);
    const patients: SeededWorld['patients'] = [];
    for (let i = 0; i < 400; i++) {
      const account = await identity.createAccount(ctx);
      const person = await identity.createPerson(ctx, account.id, { isMain: true, status: 'confirmed' });
      patients.push({ email: account.email, password: account.password, personId: person.id });
    }
    const moderator = await identity.createAccount(ctx, { role: 'moderator' });
    const world: SeededWorld = {
      patients,
      slots: slots.map((s) => s.id),
      doctorId: doctor.id,
      busyDoctorId: busy.id,
      apiSlots: apiSlots.map((s) => s.id),
      apiDoctorId: apiDoctor.id,
      moderator: { email: moderator.email, password: moderator.password },
    };
    console.log(JSON.stringify(world));
  } finally {
    await database.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
