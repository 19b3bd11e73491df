import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Residents' consents to partner clients (one row per resident, client and scope; revoked rows stay). */
export class IdentityDataConsents1764700120000 implements MigrationInterface {
  name = 'IdentityDataConsents1764700120000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE SEQUENCE data_consent_version_seq`);
    await db.query(`
      CREATE TABLE data_consents (
        user_id uuid NOT NULL REFERENCES users (id),
        partner_client_id uuid NOT NULL REFERENCES partner_clients (id),
        scope text NOT NULL CHECK (scope IN ('volunteer-records:read')),
        id uuid NOT NULL UNIQUE,
        community_id uuid NOT NULL,
        status text NOT NULL CHECK (status IN ('GRANTED', 'REVOKED')),
        version bigint NOT NULL DEFAULT nextval('data_consent_version_seq'),
        granted_at timestamptz NOT NULL,
        revoked_at timestamptz,
        PRIMARY KEY (user_id, partner_client_id, scope),
        CHECK ((status = 'REVOKED') = (revoked_at IS NOT NULL))
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE data_consents`);
    await db.query(`DROP SEQUENCE data_consent_version_seq`);
  }
}
