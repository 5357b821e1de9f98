// Runs sequelize-cli style migrations the way sequelize-cli does: Umzug with
// SequelizeStorage (the SequelizeMeta table), each up(queryInterface, Sequelize).
// Usage: node umzug-up.js MIGRATIONS_DIR (connection from PGHOST, PGPORT, PGUSER, PGDATABASE).
'use strict';
const path = require('path');
const { Sequelize } = require('sequelize');
const { Umzug, SequelizeStorage } = require('umzug');

const dir = path.resolve(process.argv[2]);
const sequelize = new Sequelize(process.env.PGDATABASE, process.env.PGUSER, process.env.PGPASSWORD || null, {
  dialect: 'postgres',
  host: process.env.PGHOST,
  port: Number(process.env.PGPORT || 5432),
  logging: false,
});
const umzug = new Umzug({
  migrations: {
    glob: path.join(dir, '*.js'),
    resolve: ({ name, path: file, context }) => {
      const migration = require(file);
      return { name, up: () => migration.up(context, Sequelize), down: () => migration.down(context, Sequelize) };
    },
  },
  context: sequelize.getQueryInterface(),
  storage: new SequelizeStorage({ sequelize }),
  logger: undefined,
});
umzug
  .up()
  .then((done) => console.log(`umzug: ${done.length} migration(s) applied`))
  .finally(() => sequelize.close())
  .catch((e) => {
    console.error(e);
    process.exit(1);
  });
