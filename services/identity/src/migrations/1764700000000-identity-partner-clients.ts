import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Partner agencies' OAuth clients (client credentials); the secret only as its SHA-256. */
export class IdentityPartnerClients1764700000000 implements MigrationInterface {
  name = 'IdentityPartnerClients1764700000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE partner_clients (
        id uuid PRIMARY KEY,
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
        kind text NOT NULL CHECK (kind IN ('GOVERNMENT', 'FOUNDATION', 'ENTERPRISE', 'SOCIAL_ORGANIZATION')),
        community_ids uuid[] NOT NULL CHECK (cardinality(community_ids) BETWEEN 1 AND 20),
        scopes text[] NOT NULL CHECK (cardinality(scopes) >= 1),
        status text NOT NULL CHECK (status IN ('PENDING', 'ACTIVE', 'REVOKED')),
        secret_hash text NOT NULL,
        secret_rotated_at timestamptz NOT NULL,
        registered_by uuid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz,
        revoked_by uuid,
        CHECK ((status = 'REVOKED') = (revoked_at IS NOT NULL))
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE partner_clients`);
  }
}
