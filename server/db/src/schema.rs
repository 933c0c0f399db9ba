// @generated from the migrations by `wagent_db::schema_gen`; do not edit.
// Regenerate: UPDATE_SCHEMA=1 cargo test -p wagent-db --test db schema_rs

diesel::table! {
    agents (org_id, id) {
        org_id -> Uuid,
        id -> Uuid,
        name -> Text,
        system_prompt -> Text,
        tone -> Text,
        rules -> Array<Text>,
        languages -> Array<Text>,
        model -> Nullable<Text>,
        temperature -> Float4,
        max_answer_chars -> Int4,
        thinking -> Bool,
        knowledge_source_ids -> Array<Uuid>,
        phone_number_ids -> Array<Uuid>,
        business_hours -> Nullable<Jsonb>,
        out_of_hours_message -> Nullable<Text>,
        handoff_allowed -> Bool,
        handoff_keywords -> Array<Text>,
        handoff_on_request -> Bool,
        handoff_on_no_answer -> Bool,
        handoff_after_misses -> Int4,
        handoff_message -> Text,
        debounce_ms -> Int4,
        enabled -> Bool,
        paused_reason -> Nullable<Text>,
        created_by -> Nullable<Uuid>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    ai_turns (org_id, id) {
        org_id -> Uuid,
        id -> Uuid,
        agent_id -> Nullable<Uuid>,
        conversation_id -> Nullable<Uuid>,
        message_id -> Nullable<Uuid>,
        outcome -> Text,
        handoff_reason -> Nullable<Text>,
        error -> Nullable<Text>,
        model -> Nullable<Text>,
        prompt_tokens -> Int4,
        completion_tokens -> Int4,
        cache_hit_tokens -> Int4,
        latency_ms -> Int4,
        cost_micros -> Int8,
        sources -> Jsonb,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    ai_usage (org_id, month) {
        org_id -> Uuid,
        month -> Date,
        replies -> Int4,
        prompt_tokens -> Int8,
        completion_tokens -> Int8,
        cost_micros -> Int8,
    }
}

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
    campaign_breakdowns (org_id, campaign_id, kind, key) {
        org_id -> Uuid,
        campaign_id -> Uuid,
        kind -> Text,
        key -> Text,
        label -> Nullable<Text>,
        n -> Int4,
    }
}

diesel::table! {
    campaign_recipients (org_id, id) {
        org_id -> Uuid,
        campaign_id -> Uuid,
        id -> Uuid,
        contact_id -> Uuid,
        phone -> Nullable<Text>,
        user_id -> Nullable<Text>,
        components -> Jsonb,
        status -> Text,
        skip_reason -> Nullable<Text>,
        not_before -> Timestamptz,
        attempts -> Int4,
        claimed_by -> Nullable<Text>,
        claimed_until -> Nullable<Timestamptz>,
        wamid -> Nullable<Text>,
        error_code -> Nullable<Int4>,
        error_text -> Nullable<Text>,
        sent_at -> Nullable<Timestamptz>,
        delivered_at -> Nullable<Timestamptz>,
        read_at -> Nullable<Timestamptz>,
        replied_at -> Nullable<Timestamptz>,
        failed_at -> Nullable<Timestamptz>,
        opted_out_at -> Nullable<Timestamptz>,
        pricing_category -> Nullable<Text>,
        billable -> Nullable<Bool>,
    }
}

diesel::table! {
    campaign_timeline (org_id, campaign_id, minute) {
        org_id -> Uuid,
        campaign_id -> Uuid,
        minute -> Timestamptz,
        sent -> Int4,
        delivered -> Int4,
        read -> Int4,
        replied -> Int4,
        failed -> Int4,
    }
}

diesel::table! {
    campaigns (org_id, id) {
        org_id -> Uuid,
        id -> Uuid,
        name -> Text,
        phone_number_id -> Uuid,
        template_id -> Uuid,
        parameters -> Jsonb,
        audience -> Jsonb,
        schedule -> Jsonb,
        retry_per_user_limit -> Bool,
        reply_window_hours -> Int4,
        status -> Text,
        status_reason -> Nullable<Text>,
        parent_id -> Nullable<Uuid>,
        created_by -> Nullable<Uuid>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        starts_at -> Nullable<Timestamptz>,
        launched_at -> Nullable<Timestamptz>,
        finished_at -> Nullable<Timestamptz>,
        audience_count -> Int4,
        skipped -> Int4,
        queued -> Int4,
        sent -> Int4,
        held -> Int4,
        delivered -> Int4,
        read -> Int4,
        replied -> Int4,
        failed -> Int4,
        unknown -> Int4,
        cancelled -> Int4,
        opted_out -> Int4,
    }
}

diesel::table! {
    canned_responses (org_id, id) {
        org_id -> Uuid,
        id -> Uuid,
        shortcut -> Text,
        body -> Text,
        created_by -> Nullable<Uuid>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    consent_events (org_id, id) {
        org_id -> Uuid,
        id -> Uuid,
        contact_id -> Uuid,
        marketing -> Text,
        source -> Text,
        detail -> Nullable<Text>,
        actor_id -> Nullable<Uuid>,
        at -> Timestamptz,
    }
}

diesel::table! {
    contact_fields (org_id, key) {
        org_id -> Uuid,
        key -> Text,
        label -> Text,
        kind -> Text,
        choices -> Array<Text>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    contact_import_members (org_id, import_id, contact_id) {
        org_id -> Uuid,
        import_id -> Uuid,
        contact_id -> Uuid,
    }
}

diesel::table! {
    contact_import_rejects (org_id, import_id, line) {
        org_id -> Uuid,
        import_id -> Uuid,
        line -> Int8,
        reason -> Text,
        row -> Text,
    }
}

diesel::table! {
    contact_imports (org_id, id) {
        org_id -> Uuid,
        id -> Uuid,
        created_by -> Nullable<Uuid>,
        file_name -> Text,
        format -> Text,
        size -> Int8,
        status -> Text,
        options -> Jsonb,
        records -> Int8,
        imported -> Int8,
        updated -> Int8,
        duplicates -> Int8,
        invalid -> Int8,
        empty -> Int8,
        progress -> Float4,
        error -> Nullable<Text>,
        created_at -> Timestamptz,
        started_at -> Nullable<Timestamptz>,
        finished_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    contacts (org_id, id) {
        org_id -> Uuid,
        id -> Uuid,
        wa_id -> Nullable<Text>,
        user_id -> Nullable<Text>,
        profile_name -> Nullable<Text>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        username -> Nullable<Text>,
        name -> Nullable<Text>,
        email -> Nullable<Text>,
        language -> Nullable<Text>,
        country -> Nullable<Text>,
        time_zone -> Nullable<Text>,
        tags -> Array<Text>,
        fields -> Jsonb,
        marketing -> Text,
        marketing_source -> Nullable<Text>,
        marketing_at -> Nullable<Timestamptz>,
        last_inbound_at -> Nullable<Timestamptz>,
        last_outbound_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    conversation_notes (org_id, id) {
        org_id -> Uuid,
        id -> Uuid,
        conversation_id -> Uuid,
        author_id -> Nullable<Uuid>,
        body -> Text,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    conversations (org_id, id) {
        org_id -> Uuid,
        id -> Uuid,
        phone_number_id -> Uuid,
        contact_id -> Uuid,
        status -> Text,
        assignee_id -> Nullable<Uuid>,
        labels -> Array<Text>,
        unread_count -> Int4,
        last_message_at -> Nullable<Timestamptz>,
        last_inbound_at -> Nullable<Timestamptz>,
        last_message_preview -> Nullable<Text>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        handler -> Text,
        agent_id -> Nullable<Uuid>,
        bot_episode_at -> Nullable<Timestamptz>,
        handoff_reason -> Nullable<Text>,
        handoff_at -> Nullable<Timestamptz>,
        bot_misses -> Int4,
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
    knowledge_chunks (org_id, id) {
        org_id -> Uuid,
        id -> Uuid,
        source_id -> Uuid,
        ordinal -> Int4,
        url -> Nullable<Text>,
        page_title -> Nullable<Text>,
        page -> Nullable<Int4>,
        heading_path -> Array<Text>,
        text -> Text,
        ts_config -> Text,
        tsv -> crate::sql_types::Tsvector,
        tsv_simple -> crate::sql_types::Tsvector,
        search_text -> Text,
        embedding -> Nullable<Array<Float4>>,
        embedding_model -> Nullable<Text>,
    }
}

diesel::table! {
    knowledge_sources (org_id, id) {
        org_id -> Uuid,
        id -> Uuid,
        kind -> Text,
        title -> Text,
        file_name -> Nullable<Text>,
        content_type -> Nullable<Text>,
        size -> Nullable<Int8>,
        url -> Nullable<Text>,
        crawl_depth -> Int4,
        crawl_max_pages -> Int4,
        recrawl_hours -> Nullable<Int4>,
        language -> Text,
        status -> Text,
        status_reason -> Nullable<Text>,
        progress_done -> Int4,
        progress_total -> Int4,
        pages -> Int4,
        chunk_count -> Int4,
        page_errors -> Jsonb,
        created_by -> Nullable<Uuid>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        ingested_at -> Nullable<Timestamptz>,
        embedding_error -> Nullable<Text>,
    }
}

diesel::table! {
    media (org_id, id) {
        org_id -> Uuid,
        id -> Uuid,
        message_id -> Uuid,
        meta_media_id -> Nullable<Text>,
        mime_type -> Nullable<Text>,
        sha256 -> Nullable<Text>,
        file_name -> Nullable<Text>,
        file_size -> Nullable<Int8>,
        stored_at -> Nullable<Timestamptz>,
        error -> Nullable<Text>,
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
    message_statuses (org_id, id) {
        org_id -> Uuid,
        id -> Uuid,
        message_id -> Uuid,
        wamid -> Nullable<Text>,
        status -> Text,
        at -> Timestamptz,
        error_code -> Nullable<Int4>,
        error_title -> Nullable<Text>,
        error_details -> Nullable<Text>,
        received_at -> Timestamptz,
    }
}

diesel::table! {
    message_templates (org_id, id) {
        org_id -> Uuid,
        id -> Uuid,
        account_id -> Uuid,
        meta_template_id -> Nullable<Text>,
        name -> Text,
        language -> Text,
        category -> Text,
        status -> Text,
        quality_score -> Nullable<Text>,
        rejected_reason -> Nullable<Text>,
        parameter_format -> Nullable<Text>,
        components -> Jsonb,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    messages (org_id, id) {
        org_id -> Uuid,
        id -> Uuid,
        conversation_id -> Uuid,
        direction -> Text,
        wamid -> Nullable<Text>,
        kind -> Text,
        body -> Nullable<Text>,
        payload -> Jsonb,
        status -> Text,
        status_at -> Timestamptz,
        error_code -> Nullable<Int4>,
        error_text -> Nullable<Text>,
        reply_to_wamid -> Nullable<Text>,
        sent_by -> Nullable<Uuid>,
        sent_at -> Timestamptz,
        agent_id -> Nullable<Uuid>,
    }
}

diesel::table! {
    notifications (org_id, id) {
        org_id -> Uuid,
        id -> Uuid,
        user_id -> Uuid,
        kind -> Text,
        title -> Text,
        body -> Text,
        campaign_id -> Nullable<Uuid>,
        created_at -> Timestamptz,
        read_at -> Nullable<Timestamptz>,
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
        default_country -> Nullable<Text>,
        opt_out_keywords -> Array<Text>,
        opt_in_keywords -> Array<Text>,
        contact_import_mapping -> Jsonb,
        time_zone -> Text,
    }
}

diesel::table! {
    phone_numbers (org_id, id) {
        org_id -> Uuid,
        id -> Uuid,
        account_id -> Uuid,
        phone_number_id -> Text,
        display_phone_number -> Nullable<Text>,
        verified_name -> Nullable<Text>,
        quality_rating -> Nullable<Text>,
        status -> Nullable<Text>,
        name_status -> Nullable<Text>,
        code_verification_status -> Nullable<Text>,
        platform_type -> Nullable<Text>,
        messaging_limit -> Nullable<Text>,
        throughput_level -> Nullable<Text>,
        refreshed_at -> Nullable<Timestamptz>,
        disconnected_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    segments (org_id, id) {
        org_id -> Uuid,
        id -> Uuid,
        name -> Text,
        filter -> Jsonb,
        created_by -> Nullable<Uuid>,
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

diesel::table! {
    webhook_events (id) {
        id -> Uuid,
        source -> Text,
        body -> Nullable<Bytea>,
        received_at -> Timestamptz,
        error -> Nullable<Text>,
        body_sealed -> Nullable<Text>,
    }
}

diesel::table! {
    webhook_failures (org_id, id) {
        org_id -> Uuid,
        id -> Uuid,
        kind -> Text,
        reference -> Nullable<Text>,
        reason -> Text,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    whatsapp_accounts (org_id, id) {
        org_id -> Uuid,
        id -> Uuid,
        waba_id -> Text,
        business_id -> Nullable<Text>,
        access_token_sealed -> Text,
        connected_via -> Text,
        connected_by -> Nullable<Uuid>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::joinable!(agents -> organizations (org_id));
diesel::joinable!(agents -> users (created_by));
diesel::joinable!(ai_usage -> organizations (org_id));
diesel::joinable!(api_tokens -> organizations (org_id));
diesel::joinable!(api_tokens -> users (created_by));
diesel::joinable!(audit_events -> organizations (org_id));
diesel::joinable!(audit_events -> users (actor_user_id));
diesel::joinable!(campaigns -> organizations (org_id));
diesel::joinable!(campaigns -> users (created_by));
diesel::joinable!(canned_responses -> organizations (org_id));
diesel::joinable!(canned_responses -> users (created_by));
diesel::joinable!(consent_events -> organizations (org_id));
diesel::joinable!(consent_events -> users (actor_id));
diesel::joinable!(contact_fields -> organizations (org_id));
diesel::joinable!(contact_imports -> organizations (org_id));
diesel::joinable!(contact_imports -> users (created_by));
diesel::joinable!(contacts -> organizations (org_id));
diesel::joinable!(conversation_notes -> organizations (org_id));
diesel::joinable!(conversation_notes -> users (author_id));
diesel::joinable!(conversations -> organizations (org_id));
diesel::joinable!(conversations -> users (assignee_id));
diesel::joinable!(invitations -> organizations (org_id));
diesel::joinable!(invitations -> users (accepted_by));
diesel::joinable!(knowledge_sources -> organizations (org_id));
diesel::joinable!(knowledge_sources -> users (created_by));
diesel::joinable!(media -> organizations (org_id));
diesel::joinable!(memberships -> organizations (org_id));
diesel::joinable!(memberships -> users (user_id));
diesel::joinable!(message_statuses -> organizations (org_id));
diesel::joinable!(message_templates -> organizations (org_id));
diesel::joinable!(messages -> organizations (org_id));
diesel::joinable!(messages -> users (sent_by));
diesel::joinable!(notifications -> organizations (org_id));
diesel::joinable!(notifications -> users (user_id));
diesel::joinable!(org_routes -> organizations (org_id));
diesel::joinable!(phone_numbers -> organizations (org_id));
diesel::joinable!(segments -> organizations (org_id));
diesel::joinable!(segments -> users (created_by));
diesel::joinable!(webhook_failures -> organizations (org_id));
diesel::joinable!(whatsapp_accounts -> organizations (org_id));
diesel::joinable!(whatsapp_accounts -> users (connected_by));

diesel::allow_tables_to_appear_in_same_query!(
    agents,
    ai_turns,
    ai_usage,
    api_tokens,
    audit_events,
    campaign_breakdowns,
    campaign_recipients,
    campaign_timeline,
    campaigns,
    canned_responses,
    consent_events,
    contact_fields,
    contact_import_members,
    contact_import_rejects,
    contact_imports,
    contacts,
    conversation_notes,
    conversations,
    invitations,
    jobs,
    knowledge_chunks,
    knowledge_sources,
    media,
    memberships,
    message_statuses,
    message_templates,
    messages,
    notifications,
    org_routes,
    organizations,
    phone_numbers,
    segments,
    users,
    webhook_events,
    webhook_failures,
    whatsapp_accounts,
);
