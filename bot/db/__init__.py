"""Storage: the tables, the engine, migrations, and the queries the rest of aicost uses."""
