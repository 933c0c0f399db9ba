use std::path::PathBuf;

#[test]
fn schema_graphql_is_the_servers_sdl() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../schema.graphql");
    let sdl = wagent_graphql::sdl();
    if std::env::var_os("UPDATE_SCHEMA").is_some() {
        std::fs::write(&path, &sdl).unwrap();
    }
    let on_disk = std::fs::read_to_string(&path).unwrap();
    assert!(
        on_disk == sdl,
        "schema.graphql differs from `wagent schema`; regenerate it with `wagent schema > schema.graphql` \
         (or UPDATE_SCHEMA=1 cargo test -p wagent-app --test api schema) and regenerate the SPA's types"
    );
}
