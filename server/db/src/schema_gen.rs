//! Renders `schema.rs` (diesel's `table!` declarations) from a migrated database, so a test
//! can prove the checked-in file matches the migrations without installing diesel_cli.

use std::{collections::BTreeMap, fmt::Write};

use diesel::{
    QueryableByName,
    sql_types::{Bool, Integer, Text},
};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};

use crate::{Error, PgTarget};

#[derive(QueryableByName)]
struct Column {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    column_name: String,
    #[diesel(sql_type = Text)]
    udt_name: String,
    #[diesel(sql_type = Bool)]
    nullable: bool,
    #[diesel(sql_type = Bool)]
    primary: bool,
    #[diesel(sql_type = Integer)]
    position: i32,
}

#[derive(QueryableByName)]
struct ForeignKey {
    #[diesel(sql_type = Text)]
    child: String,
    #[diesel(sql_type = Text)]
    parent: String,
    #[diesel(sql_type = Text)]
    column: String,
}

pub async fn render(target: &PgTarget) -> Result<String, Error> {
    let mut conn = AsyncPgConnection::establish(&target.connection_string())
        .await
        .map_err(|e| Error::Connect(e.to_string()))?;
    let columns: Vec<Column> = diesel::sql_query(
        "SELECT c.table_name::text, c.column_name::text, c.udt_name::text,
                c.is_nullable = 'YES' AS nullable,
                EXISTS (SELECT 1 FROM pg_index i
                         JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
                        WHERE i.indisprimary AND i.indrelid = ('public.' || c.table_name)::regclass
                          AND a.attname = c.column_name) AS primary,
                c.ordinal_position::int AS position
           FROM information_schema.columns c
           JOIN information_schema.tables t USING (table_schema, table_name)
          WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'
            AND c.table_name NOT LIKE '\\_\\_%'
          ORDER BY c.table_name, c.ordinal_position",
    )
    .load(&mut conn)
    .await?;
    // diesel's joinable! only knows single-column keys: the (org_id, x) keys are joined by hand.
    let fks: Vec<ForeignKey> = diesel::sql_query(
        "SELECT cl.relname::text AS child, pl.relname::text AS parent, a.attname::text AS column
           FROM pg_constraint k
           JOIN pg_class cl ON cl.oid = k.conrelid
           JOIN pg_class pl ON pl.oid = k.confrelid
           JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = k.conkey[1]
          WHERE k.contype = 'f' AND array_length(k.conkey, 1) = 1
            AND cl.relnamespace = 'public'::regnamespace
          ORDER BY 1, 2, 3",
    )
    .load(&mut conn)
    .await?;

    let mut tables: BTreeMap<String, Vec<Column>> = BTreeMap::new();
    for c in columns {
        tables.entry(c.table_name.clone()).or_default().push(c);
    }
    let names: Vec<String> = tables.keys().cloned().collect();
    let mut out = String::from(
        "// @generated from the migrations by `wagent_db::schema_gen`; do not edit.\n\
         // Regenerate: UPDATE_SCHEMA=1 cargo test -p wagent-db --test db schema_rs\n",
    );
    for (name, mut cols) in tables {
        cols.sort_by_key(|c| c.position);
        let keys: Vec<&str> = cols
            .iter()
            .filter(|c| c.primary)
            .map(|c| c.column_name.as_str())
            .collect();
        let _ = writeln!(
            out,
            "\ndiesel::table! {{\n    {name} ({}) {{",
            keys.join(", ")
        );
        for c in &cols {
            let ty = sql_type(&c.udt_name)?;
            let ty = if c.nullable {
                format!("Nullable<{ty}>")
            } else {
                ty.to_owned()
            };
            let _ = writeln!(out, "        {} -> {ty},", c.column_name);
        }
        out.push_str("    }\n}\n");
    }
    // One joinable! per child/parent pair: diesel allows only one.
    let mut seen = std::collections::BTreeSet::new();
    let mut joins = String::new();
    for fk in fks {
        if fk.child != fk.parent && seen.insert((fk.child.clone(), fk.parent.clone())) {
            let _ = writeln!(
                joins,
                "diesel::joinable!({} -> {} ({}));",
                fk.child, fk.parent, fk.column
            );
        }
    }
    if !joins.is_empty() {
        out.push('\n');
        out.push_str(&joins);
    }
    let _ = write!(
        out,
        "\ndiesel::allow_tables_to_appear_in_same_query!(\n    {},\n);\n",
        names.join(",\n    ")
    );
    Ok(out)
}

fn sql_type(udt: &str) -> Result<&'static str, Error> {
    Ok(match udt {
        "uuid" => "Uuid",
        "text" | "varchar" => "Text",
        "bool" => "Bool",
        "int2" => "Int2",
        "int4" => "Int4",
        "int8" => "Int8",
        "float4" => "Float4",
        "float8" => "Float8",
        "timestamptz" => "Timestamptz",
        "date" => "Date",
        "jsonb" => "Jsonb",
        "bytea" => "Bytea",
        "_text" => "Array<Text>",
        "_uuid" => "Array<Uuid>",
        "_float4" => "Array<Float4>",
        "tsvector" => "crate::sql_types::Tsvector",
        other => {
            return Err(Error::Setup(format!(
                "schema_gen: no diesel type for `{other}`"
            )));
        }
    })
}
