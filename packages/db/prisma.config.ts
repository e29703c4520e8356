// Prisma CLI configuration (Prisma 7). Only `prisma generate` is used here: the schema
// engine cannot be downloaded, so migrations are hand-written SQL in ../migrations and
// applied by src/migrations.ts, not by `prisma migrate`.
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
});
