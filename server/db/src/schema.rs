// @generated from the migrations by `wagent_db::schema_gen`; do not edit.
// Regenerate: UPDATE_SCHEMA=1 cargo test -p wagent-db --test db schema_rs

diesel::table! {
    api_tokens (org_id, id) {
        org_id -> Uuid,
        id -> Uuid,
        name -> Text,
        role -> Text,
        created_by -> Nullable<Uuid>,
        created_at -> Timestamptz,
        expires_at -> Timestamptz,
        revoked_at -> Nullable<Timestamptz>,
        revoked_by -> Nullable<Uuid>,
        last_used_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    audit_events (org_id, id) {
        org_id -> Uuid,
        id -> Uuid,
        actor_user_id -> Nullable<Uuid>,
        actor_api_token_id -> Nullable<Uuid>,
        action -> Text,
        target_type -> Nullable<Text>,
        target_id -> Nullable<Text>,
        ip -> Nullable<Text>,
        user_agent -> Nullable<Text>,
        details -> Jsonb,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    invitations (org_id, id) {
        org_id -> Uuid,
        id -> Uuid,
        email -> Text,
        role -> Text,
        token_hash -> Bytea,
        invited_by -> Nullable<Uuid>,
        created_at -> Timestamptz,
        expires_at -> Timestamptz,
        accepted_at -> Nullable<Timestamptz>,
        accepted_by -> Nullable<Uuid>,
        revoked_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    jobs (id) {
        id -> Uuid,
        kind -> Text,
        org_id -> Nullable<Uuid>,
        payload -> Jsonb,
        unique_key -> Nullable<Text>,
        run_at -> Timestamptz,
        attempts -> Int4,
        max_attempts -> Int4,
        locked_by -> Nullable<Text>,
        locked_until -> Nullable<Timestamptz>,
        last_error -> Nullable<Text>,
        failed_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    memberships (org_id, user_id) {
        org_id -> Uuid,
        user_id -> Uuid,
        role -> Text,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    org_routes (kind, key) {
        kind -> Text,
        key -> Text,
        org_id -> Uuid,
    }
}

diesel::table! {
    organizations (id) {
        id -> Uuid,
        name -> Text,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    users (id) {
        id -> Uuid,
        issuer -> Nullable<Text>,
        subject -> Nullable<Text>,
        email -> Nullable<Text>,
        email_verified -> Bool,
        name -> Nullable<Text>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        last_seen_at -> Nullable<Timestamptz>,
    }
}

diesel::joinable!(api_tokens -> organizations (org_id));
diesel::joinable!(api_tokens -> users (created_by));
diesel::joinable!(audit_events -> organizations (org_id));
diesel::joinable!(audit_events -> users (actor_user_id));
diesel::joinable!(invitations -> organizations (org_id));
diesel::joinable!(invitations -> users (accepted_by));
diesel::joinable!(memberships -> organizations (org_id));
diesel::joinable!(memberships -> users (user_id));
diesel::joinable!(org_routes -> organizations (org_id));

diesel::allow_tables_to_appear_in_same_query!(
    api_tokens,
    audit_events,
    invitations,
    jobs,
    memberships,
    org_routes,
    organizations,
    users,
);
