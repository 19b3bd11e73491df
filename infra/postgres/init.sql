-- One database per service: they share a PostgreSQL server here, never tables.
CREATE DATABASE taoyuan_identity;
CREATE DATABASE taoyuan_volunteering;
CREATE DATABASE taoyuan_organizations;
CREATE DATABASE taoyuan_marketplace;
CREATE DATABASE taoyuan_assets;
CREATE DATABASE taoyuan_partners;
CREATE DATABASE taoyuan_notifications;
