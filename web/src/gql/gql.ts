/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query OrganizationSummary($id: ID!) {\n    organization(id: $id) {\n      id\n      name\n      createdAt\n      viewerRole\n    }\n  }\n": typeof types.OrganizationSummaryDocument,
    "\n  subscription OrganizationEvents($organizationId: ID!) {\n    organizationEvents(organizationId: $organizationId) {\n      organizationId\n      kind\n      at\n    }\n  }\n": typeof types.OrganizationEventsDocument,
    "\n  query OrganizationApiTokens($id: ID!) {\n    organization(id: $id) {\n      id\n      apiTokens(first: 100) {\n        nodes {\n          id\n          name\n          role\n          createdAt\n          expiresAt\n          revokedAt\n          lastUsedAt\n          createdBy {\n            id\n            name\n            email\n          }\n        }\n        pageInfo {\n          hasNextPage\n        }\n      }\n    }\n  }\n": typeof types.OrganizationApiTokensDocument,
    "\n  mutation CreateApiToken($input: CreateApiTokenInput!) {\n    createApiToken(input: $input) {\n      token\n      apiToken {\n        id\n        name\n        role\n        expiresAt\n      }\n    }\n  }\n": typeof types.CreateApiTokenDocument,
    "\n  mutation RevokeApiToken($input: RevokeApiTokenInput!) {\n    revokeApiToken(input: $input) {\n      id\n      revokedAt\n    }\n  }\n": typeof types.RevokeApiTokenDocument,
    "\n  query AuditLog($id: ID!, $first: Int!, $after: String) {\n    organization(id: $id) {\n      id\n      auditLog(first: $first, after: $after) {\n        nodes {\n          id\n          action\n          actor {\n            id\n            name\n            email\n          }\n          actorApiTokenId\n          targetType\n          targetId\n          ip\n          userAgent\n          details\n          createdAt\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  }\n": typeof types.AuditLogDocument,
    "\n  fragment CampaignStatsParts on CampaignStats {\n    audience\n    skipped\n    queued\n    sent\n    held\n    delivered\n    read\n    replied\n    failed\n    unknown\n    cancelled\n    optedOut\n    deliveryRate\n    readRate\n    replyRate\n    skippedByReason {\n      key\n      label\n      count\n    }\n    failedByCode {\n      key\n      label\n      count\n    }\n    billableByCategory {\n      key\n      label\n      count\n    }\n  }\n": typeof types.CampaignStatsPartsFragmentDoc,
    "\n  fragment CampaignParts on Campaign {\n    id\n    name\n    status\n    statusReason\n    phoneNumberId\n    templateId\n    parameters {\n      part\n      buttonIndex\n      placeholder\n      field\n      text\n      fallback\n    }\n    audience {\n      tags\n      segmentIds\n      contactIds\n    }\n    schedule {\n      kind\n      at\n      date\n      time\n      every\n      weekday\n    }\n    retryPerUserLimit\n    replyWindowHours\n    parentId\n    createdAt\n    startsAt\n    launchedAt\n    finishedAt\n    stats {\n      ...CampaignStatsParts\n    }\n  }\n": typeof types.CampaignPartsFragmentDoc,
    "\n  query Campaigns($id: ID!, $first: Int, $after: String) {\n    organization(id: $id) {\n      id\n      campaigns(first: $first, after: $after) {\n        nodes {\n          id\n          name\n          status\n          statusReason\n          createdAt\n          startsAt\n          stats {\n            audience\n            sent\n            deliveryRate\n            readRate\n            replyRate\n          }\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  }\n": typeof types.CampaignsDocument,
    "\n  query Campaign($id: ID!, $campaignId: ID!) {\n    organization(id: $id) {\n      id\n      campaign(id: $campaignId) {\n        ...CampaignParts\n        recipientsCsvUrl\n      }\n    }\n  }\n": typeof types.CampaignDocument,
    "\n  query CampaignTimeline($id: ID!, $campaignId: ID!) {\n    organization(id: $id) {\n      id\n      campaign(id: $campaignId) {\n        id\n        timeline {\n          minute\n          sent\n          delivered\n          read\n          replied\n          failed\n        }\n      }\n    }\n  }\n": typeof types.CampaignTimelineDocument,
    "\n  subscription CampaignEvents($organizationId: ID!, $campaignId: ID!) {\n    campaignEvents(organizationId: $organizationId, campaignId: $campaignId) {\n      ...CampaignParts\n    }\n  }\n": typeof types.CampaignEventsDocument,
    "\n  query CampaignBuilderOptions($id: ID!) {\n    organization(id: $id) {\n      id\n      phoneNumbers {\n        id\n        displayPhoneNumber\n        verifiedName\n        status\n        messagingLimit\n        disconnectedAt\n      }\n      contactFields {\n        key\n        label\n      }\n      segments {\n        id\n        name\n        contactCount\n      }\n    }\n  }\n": typeof types.CampaignBuilderOptionsDocument,
    "\n  query CampaignTemplates($id: ID!, $phoneNumberId: ID) {\n    organization(id: $id) {\n      id\n      templates(phoneNumberId: $phoneNumberId) {\n        id\n        name\n        language\n        category\n        status\n        bodyText\n      }\n    }\n  }\n": typeof types.CampaignTemplatesDocument,
    "\n  query TemplatePlaceholders($id: ID!, $templateId: ID!) {\n    organization(id: $id) {\n      id\n      templatePlaceholders(templateId: $templateId) {\n        part\n        buttonIndex\n        name\n        media\n      }\n    }\n  }\n": typeof types.TemplatePlaceholdersDocument,
    "\n  query CampaignPreview($id: ID!, $campaignId: ID!) {\n    organization(id: $id) {\n      id\n      campaign(id: $campaignId) {\n        id\n        preview {\n          audience\n          queued\n          skipped {\n            reason\n            count\n          }\n          budget {\n            limit\n            used\n            left\n            needed\n            covers\n          }\n          samples {\n            contactId\n            name\n            address\n            skipReason\n            detail\n            text\n          }\n        }\n      }\n    }\n  }\n": typeof types.CampaignPreviewDocument,
    "\n  query CampaignPreviewFor($id: ID!, $campaignId: ID!, $contactId: ID!) {\n    organization(id: $id) {\n      id\n      campaign(id: $campaignId) {\n        id\n        previewFor(contactId: $contactId) {\n          contactId\n          name\n          address\n          skipReason\n          detail\n          text\n        }\n      }\n    }\n  }\n": typeof types.CampaignPreviewForDocument,
    "\n  query CampaignContactSearch($id: ID!, $search: String!) {\n    organization(id: $id) {\n      id\n      contacts(filter: { search: $search }, first: 8) {\n        nodes {\n          id\n          phone\n          waId\n          displayName\n        }\n      }\n    }\n  }\n": typeof types.CampaignContactSearchDocument,
    "\n  query CampaignRecipients($id: ID!, $campaignId: ID!, $first: Int, $after: String, $filter: CampaignRecipientFilter) {\n    organization(id: $id) {\n      id\n      campaign(id: $campaignId) {\n        id\n        recipients(first: $first, after: $after, filter: $filter) {\n          nodes {\n            id\n            contactId\n            name\n            address\n            status\n            skipReason\n            attempts\n            errorCode\n            errorText\n            sentAt\n            deliveredAt\n            readAt\n            repliedAt\n            failedAt\n            optedOutAt\n            pricingCategory\n          }\n          pageInfo {\n            hasNextPage\n            endCursor\n          }\n        }\n      }\n    }\n  }\n": typeof types.CampaignRecipientsDocument,
    "\n  mutation CreateCampaign($input: CampaignInput!) {\n    createCampaign(input: $input) {\n      ...CampaignParts\n    }\n  }\n": typeof types.CreateCampaignDocument,
    "\n  mutation UpdateCampaign($campaignId: ID!, $input: CampaignInput!) {\n    updateCampaign(campaignId: $campaignId, input: $input) {\n      ...CampaignParts\n    }\n  }\n": typeof types.UpdateCampaignDocument,
    "\n  mutation DeleteCampaign($organizationId: ID!, $campaignId: ID!) {\n    deleteCampaign(organizationId: $organizationId, campaignId: $campaignId)\n  }\n": typeof types.DeleteCampaignDocument,
    "\n  mutation LaunchCampaign($organizationId: ID!, $campaignId: ID!) {\n    launchCampaign(organizationId: $organizationId, campaignId: $campaignId) {\n      ...CampaignParts\n    }\n  }\n": typeof types.LaunchCampaignDocument,
    "\n  mutation PauseCampaign($organizationId: ID!, $campaignId: ID!) {\n    pauseCampaign(organizationId: $organizationId, campaignId: $campaignId) {\n      ...CampaignParts\n    }\n  }\n": typeof types.PauseCampaignDocument,
    "\n  mutation ResumeCampaign($organizationId: ID!, $campaignId: ID!) {\n    resumeCampaign(organizationId: $organizationId, campaignId: $campaignId) {\n      ...CampaignParts\n    }\n  }\n": typeof types.ResumeCampaignDocument,
    "\n  mutation CancelCampaign($organizationId: ID!, $campaignId: ID!) {\n    cancelCampaign(organizationId: $organizationId, campaignId: $campaignId) {\n      ...CampaignParts\n    }\n  }\n": typeof types.CancelCampaignDocument,
    "\n  mutation DuplicateCampaign($organizationId: ID!, $campaignId: ID!) {\n    duplicateCampaign(organizationId: $organizationId, campaignId: $campaignId) {\n      id\n      name\n      status\n    }\n  }\n": typeof types.DuplicateCampaignDocument,
    "\n  mutation RetryFailedRecipients($organizationId: ID!, $campaignId: ID!) {\n    retryFailedRecipients(organizationId: $organizationId, campaignId: $campaignId) {\n      ...CampaignParts\n    }\n  }\n": typeof types.RetryFailedRecipientsDocument,
    "\n  fragment ContactListItem on Contact {\n    id\n    waId\n    phone\n    name\n    profileName\n    displayName\n    country\n    tags\n    marketing\n    lastInboundAt\n  }\n": typeof types.ContactListItemFragmentDoc,
    "\n  query Contacts($id: ID!, $filter: ContactFilterInput, $first: Int, $after: String) {\n    organization(id: $id) {\n      id\n      contacts(filter: $filter, first: $first, after: $after) {\n        nodes {\n          ...ContactListItem\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  }\n": typeof types.ContactsDocument,
    "\n  fragment ContactDetails on Contact {\n    id\n    waId\n    phone\n    userId\n    username\n    profileName\n    name\n    displayName\n    email\n    language\n    country\n    timeZone\n    tags\n    fields\n    createdAt\n    marketing\n    marketingSource\n    marketingChangedAt\n    lastInboundAt\n    lastOutboundAt\n    consentHistory {\n      marketing\n      source\n      detail\n      actor {\n        id\n        name\n        email\n      }\n      at\n    }\n  }\n": typeof types.ContactDetailsFragmentDoc,
    "\n  fragment ContactFieldItem on ContactField {\n    key\n    label\n    kind\n    choices\n  }\n": typeof types.ContactFieldItemFragmentDoc,
    "\n  query Contact($id: ID!, $contactId: ID!) {\n    organization(id: $id) {\n      id\n      contact(id: $contactId) {\n        ...ContactDetails\n      }\n      contactFields {\n        ...ContactFieldItem\n      }\n    }\n  }\n": typeof types.ContactDocument,
    "\n  mutation UpdateContact($input: UpdateContactInput!) {\n    updateContact(input: $input) {\n      ...ContactDetails\n    }\n  }\n": typeof types.UpdateContactDocument,
    "\n  query ContactFields($id: ID!) {\n    organization(id: $id) {\n      id\n      contactFields {\n        ...ContactFieldItem\n        createdAt\n      }\n    }\n  }\n": typeof types.ContactFieldsDocument,
    "\n  mutation DefineContactField($input: DefineContactFieldInput!) {\n    defineContactField(input: $input) {\n      ...ContactFieldItem\n    }\n  }\n": typeof types.DefineContactFieldDocument,
    "\n  mutation UpdateContactField($input: UpdateContactFieldInput!) {\n    updateContactField(input: $input) {\n      ...ContactFieldItem\n    }\n  }\n": typeof types.UpdateContactFieldDocument,
    "\n  mutation DeleteContactField($input: DeleteContactFieldInput!) {\n    deleteContactField(input: $input) {\n      key\n      contactsCleared\n    }\n  }\n": typeof types.DeleteContactFieldDocument,
    "\n  mutation SetContactOptIn($input: SetContactOptInInput!) {\n    setContactOptIn(input: $input) {\n      ...ContactDetails\n    }\n  }\n": typeof types.SetContactOptInDocument,
    "\n  fragment ContactImportState on ContactImport {\n    id\n    fileName\n    format\n    size\n    status\n    createdAt\n    startedAt\n    finishedAt\n    createdBy {\n      id\n      name\n      email\n    }\n    progress\n    records\n    imported\n    updated\n    duplicates\n    invalid\n    empty\n    error\n    rejectedRowsUrl\n    options {\n      sheet\n      headerRow\n      delimiter\n      defaultCountry\n      mapping {\n        column\n        field\n      }\n      duplicates\n    }\n  }\n": typeof types.ContactImportStateFragmentDoc,
    "\n  query ContactImport($id: ID!, $importId: ID!) {\n    organization(id: $id) {\n      id\n      contactImport(id: $importId) {\n        ...ContactImportState\n      }\n    }\n  }\n": typeof types.ContactImportDocument,
    "\n  query RecentContactImports($id: ID!, $first: Int) {\n    organization(id: $id) {\n      id\n      contactImports(first: $first) {\n        nodes {\n          ...ContactImportState\n        }\n      }\n    }\n  }\n": typeof types.RecentContactImportsDocument,
    "\n  query ContactImportPreview(\n    $id: ID!\n    $importId: ID!\n    $sheet: Int\n    $headerRow: Int\n    $delimiter: String\n    $defaultCountry: String\n    $mapping: [ColumnMappingInput!]\n  ) {\n    organization(id: $id) {\n      id\n      contactImport(id: $importId) {\n        id\n        preview(\n          sheet: $sheet\n          headerRow: $headerRow\n          delimiter: $delimiter\n          defaultCountry: $defaultCountry\n          mapping: $mapping\n        ) {\n          format\n          encoding\n          delimiter\n          sheets\n          headers\n          mapping {\n            column\n            field\n          }\n          defaultCountry\n          mappingProblem\n          rows {\n            line\n            cells\n            rejection\n            contact {\n              phone\n              name\n              email\n              language\n              country\n              timeZone\n              tags\n              fields\n              marketing\n            }\n          }\n        }\n      }\n    }\n  }\n": typeof types.ContactImportPreviewDocument,
    "\n  mutation ImportContacts($input: ImportContactsInput!) {\n    importContacts(input: $input) {\n      ...ContactImportState\n    }\n  }\n": typeof types.ImportContactsDocument,
    "\n  mutation CancelContactImport($organizationId: ID!, $importId: ID!) {\n    cancelContactImport(organizationId: $organizationId, importId: $importId) {\n      ...ContactImportState\n    }\n  }\n": typeof types.CancelContactImportDocument,
    "\n  subscription ContactImportProgress($organizationId: ID!, $importId: ID!) {\n    contactImportProgress(organizationId: $organizationId, importId: $importId) {\n      ...ContactImportState\n    }\n  }\n": typeof types.ContactImportProgressDocument,
    "\n  query CustomerPhoneNumbers($id: ID!) {\n    organization(id: $id) {\n      id\n      phoneNumbers {\n        id\n        phoneNumberId\n        displayPhoneNumber\n        verifiedName\n        disconnectedAt\n      }\n    }\n  }\n": typeof types.CustomerPhoneNumbersDocument,
    "\n  fragment ConversationSummary on Conversation {\n    id\n    status\n    labels\n    unreadCount\n    lastMessageAt\n    lastMessagePreview\n    windowOpenUntil\n    windowOpen\n    contact {\n      id\n      waId\n      phone\n      userId\n      username\n      profileName\n    }\n    phoneNumber {\n      id\n      phoneNumberId\n      displayPhoneNumber\n      verifiedName\n      disconnectedAt\n    }\n    assignee {\n      id\n      name\n      email\n    }\n  }\n": typeof types.ConversationSummaryFragmentDoc,
    "\n  fragment InboxMessage on Message {\n    id\n    conversationId\n    direction\n    wamid\n    kind\n    text\n    content\n    status\n    statusAt\n    error {\n      code\n      text\n    }\n    replyToWamid\n    sentBy {\n      id\n      name\n      email\n    }\n    sentAt\n    media {\n      url\n      mimeType\n      fileName\n      size\n      status\n      error\n    }\n  }\n": typeof types.InboxMessageFragmentDoc,
    "\n  fragment ConversationNote on Note {\n    id\n    body\n    createdAt\n    author {\n      id\n      name\n      email\n    }\n  }\n": typeof types.ConversationNoteFragmentDoc,
    "\n  query InboxSetup($id: ID!) {\n    organization(id: $id) {\n      id\n      phoneNumbers {\n        id\n        phoneNumberId\n        displayPhoneNumber\n        verifiedName\n        status\n        disconnectedAt\n      }\n      cannedResponses {\n        id\n        shortcut\n        body\n      }\n      members(first: 100) {\n        nodes {\n          role\n          user {\n            id\n            name\n            email\n          }\n        }\n      }\n    }\n  }\n": typeof types.InboxSetupDocument,
    "\n  query InboxConversations($id: ID!, $filter: ConversationFilterInput, $first: Int, $after: String) {\n    organization(id: $id) {\n      id\n      conversations(filter: $filter, first: $first, after: $after) {\n        edges {\n          cursor\n          node {\n            ...ConversationSummary\n          }\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  }\n": typeof types.InboxConversationsDocument,
    "\n  query ConversationThread($id: ID!, $conversationId: ID!, $first: Int) {\n    organization(id: $id) {\n      id\n      conversation(id: $conversationId) {\n        ...ConversationSummary\n        notes {\n          ...ConversationNote\n        }\n        messages(first: $first) {\n          edges {\n            cursor\n            node {\n              ...InboxMessage\n            }\n          }\n          pageInfo {\n            hasNextPage\n            endCursor\n          }\n        }\n      }\n    }\n  }\n": typeof types.ConversationThreadDocument,
    "\n  query ConversationOlderMessages($id: ID!, $conversationId: ID!, $first: Int, $after: String) {\n    organization(id: $id) {\n      id\n      conversation(id: $conversationId) {\n        id\n        messages(first: $first, after: $after) {\n          edges {\n            cursor\n            node {\n              ...InboxMessage\n            }\n          }\n          pageInfo {\n            hasNextPage\n            endCursor\n          }\n        }\n      }\n    }\n  }\n": typeof types.ConversationOlderMessagesDocument,
    "\n  subscription InboxEvents($organizationId: ID!) {\n    inboxEvents(organizationId: $organizationId) {\n      kind\n      conversation {\n        ...ConversationSummary\n      }\n      message {\n        ...InboxMessage\n      }\n    }\n  }\n": typeof types.InboxEventsDocument,
    "\n  mutation SendMessage($input: SendMessageInput!) {\n    sendMessage(input: $input) {\n      ...InboxMessage\n    }\n  }\n": typeof types.SendMessageDocument,
    "\n  mutation ReactToMessage($input: ReactToMessageInput!) {\n    reactToMessage(input: $input) {\n      ...InboxMessage\n    }\n  }\n": typeof types.ReactToMessageDocument,
    "\n  mutation RetryMessage($input: RetryMessageInput!) {\n    retryMessage(input: $input) {\n      ...InboxMessage\n    }\n  }\n": typeof types.RetryMessageDocument,
    "\n  mutation MarkConversationRead($input: ConversationRefInput!) {\n    markConversationRead(input: $input) {\n      ...ConversationSummary\n    }\n  }\n": typeof types.MarkConversationReadDocument,
    "\n  mutation AssignConversation($input: AssignConversationInput!) {\n    assignConversation(input: $input) {\n      ...ConversationSummary\n    }\n  }\n": typeof types.AssignConversationDocument,
    "\n  mutation SetConversationStatus($input: SetConversationStatusInput!) {\n    setConversationStatus(input: $input) {\n      ...ConversationSummary\n    }\n  }\n": typeof types.SetConversationStatusDocument,
    "\n  mutation SetConversationLabels($input: SetConversationLabelsInput!) {\n    setConversationLabels(input: $input) {\n      ...ConversationSummary\n    }\n  }\n": typeof types.SetConversationLabelsDocument,
    "\n  mutation AddNote($input: AddNoteInput!) {\n    addNote(input: $input) {\n      ...ConversationNote\n    }\n  }\n": typeof types.AddNoteDocument,
    "\n  mutation CreateCannedResponse($input: CreateCannedResponseInput!) {\n    createCannedResponse(input: $input) {\n      id\n      shortcut\n      body\n    }\n  }\n": typeof types.CreateCannedResponseDocument,
    "\n  mutation DeleteCannedResponse($input: DeleteCannedResponseInput!) {\n    deleteCannedResponse(input: $input)\n  }\n": typeof types.DeleteCannedResponseDocument,
    "\n  query InboxTemplates($id: ID!, $phoneNumberId: ID) {\n    organization(id: $id) {\n      id\n      templates(phoneNumberId: $phoneNumberId) {\n        id\n        name\n        language\n        category\n        status\n        bodyText\n        parameterCount\n      }\n    }\n  }\n": typeof types.InboxTemplatesDocument,
    "\n  query InvitationPreview($token: String!) {\n    invitation(token: $token) {\n      organizationName\n      email\n      role\n      status\n      expiresAt\n    }\n  }\n": typeof types.InvitationPreviewDocument,
    "\n  mutation AcceptInvitation($input: AcceptInvitationInput!) {\n    acceptInvitation(input: $input) {\n      role\n      organization {\n        id\n        name\n      }\n    }\n  }\n": typeof types.AcceptInvitationDocument,
    "\n  query OrganizationMembers($id: ID!) {\n    organization(id: $id) {\n      id\n      members(first: 100) {\n        nodes {\n          role\n          joinedAt\n          user {\n            id\n            name\n            email\n          }\n        }\n        pageInfo {\n          hasNextPage\n        }\n      }\n    }\n  }\n": typeof types.OrganizationMembersDocument,
    "\n  query OrganizationInvitations($id: ID!) {\n    organization(id: $id) {\n      id\n      invitations(first: 100) {\n        nodes {\n          id\n          email\n          role\n          status\n          createdAt\n          expiresAt\n          invitedBy {\n            id\n            name\n            email\n          }\n        }\n        pageInfo {\n          hasNextPage\n        }\n      }\n    }\n  }\n": typeof types.OrganizationInvitationsDocument,
    "\n  mutation InviteMember($input: InviteMemberInput!) {\n    inviteMember(input: $input) {\n      acceptUrl\n      invitation {\n        id\n        email\n        role\n        status\n        expiresAt\n      }\n    }\n  }\n": typeof types.InviteMemberDocument,
    "\n  mutation RevokeInvitation($input: RevokeInvitationInput!) {\n    revokeInvitation(input: $input) {\n      id\n      status\n    }\n  }\n": typeof types.RevokeInvitationDocument,
    "\n  mutation ChangeMemberRole($input: ChangeMemberRoleInput!) {\n    changeMemberRole(input: $input) {\n      role\n      user {\n        id\n      }\n    }\n  }\n": typeof types.ChangeMemberRoleDocument,
    "\n  mutation RemoveMember($input: RemoveMemberInput!) {\n    removeMember(input: $input)\n  }\n": typeof types.RemoveMemberDocument,
    "\n  mutation LeaveOrganization($input: LeaveOrganizationInput!) {\n    leaveOrganization(input: $input)\n  }\n": typeof types.LeaveOrganizationDocument,
    "\n  mutation TransferOwnership($input: TransferOwnershipInput!) {\n    transferOwnership(input: $input) {\n      id\n      viewerRole\n    }\n  }\n": typeof types.TransferOwnershipDocument,
    "\n  mutation CreateOrganization($input: CreateOrganizationInput!) {\n    createOrganization(input: $input) {\n      id\n      name\n      viewerRole\n    }\n  }\n": typeof types.CreateOrganizationDocument,
    "\n  mutation RenameOrganization($input: RenameOrganizationInput!) {\n    renameOrganization(input: $input) {\n      id\n      name\n    }\n  }\n": typeof types.RenameOrganizationDocument,
    "\n  query OrganizationOverview($id: ID!) {\n    organization(id: $id) {\n      id\n      members(first: 100) {\n        nodes {\n          role\n          user {\n            id\n          }\n        }\n        pageInfo {\n          hasNextPage\n        }\n      }\n    }\n  }\n": typeof types.OrganizationOverviewDocument,
    "\n  query OrganizationSetup($id: ID!) {\n    organization(id: $id) {\n      id\n      invitations(first: 1) {\n        nodes {\n          id\n        }\n      }\n      apiTokens(first: 1) {\n        nodes {\n          id\n        }\n      }\n    }\n  }\n": typeof types.OrganizationSetupDocument,
    "\n  fragment SegmentFilterParts on SegmentFilter {\n    tags {\n      allOf\n      anyOf\n      noneOf\n    }\n    fields {\n      key\n      operator\n      value\n    }\n    countries\n    marketing\n    activity {\n      direction\n      operator\n      at\n      days\n    }\n  }\n": typeof types.SegmentFilterPartsFragmentDoc,
    "\n  query Segments($id: ID!) {\n    organization(id: $id) {\n      id\n      segments {\n        id\n        name\n        contactCount\n        contactsCsvUrl\n        updatedAt\n      }\n    }\n  }\n": typeof types.SegmentsDocument,
    "\n  query Segment($id: ID!, $segmentId: ID!) {\n    organization(id: $id) {\n      id\n      segment(id: $segmentId) {\n        id\n        name\n        filter {\n          ...SegmentFilterParts\n        }\n      }\n    }\n  }\n": typeof types.SegmentDocument,
    "\n  query SegmentFields($id: ID!) {\n    organization(id: $id) {\n      id\n      contactFields {\n        key\n        label\n        kind\n        choices\n      }\n    }\n  }\n": typeof types.SegmentFieldsDocument,
    "\n  query SegmentPreview($organizationId: ID!, $filter: SegmentFilterInput!) {\n    segmentPreview(organizationId: $organizationId, filter: $filter, first: 10) {\n      contactCount\n      contacts {\n        id\n        phone\n        waId\n        displayName\n        country\n        tags\n        marketing\n      }\n    }\n  }\n": typeof types.SegmentPreviewDocument,
    "\n  mutation CreateSegment($input: CreateSegmentInput!) {\n    createSegment(input: $input) {\n      id\n      name\n    }\n  }\n": typeof types.CreateSegmentDocument,
    "\n  mutation UpdateSegment($input: UpdateSegmentInput!) {\n    updateSegment(input: $input) {\n      id\n      name\n    }\n  }\n": typeof types.UpdateSegmentDocument,
    "\n  mutation DeleteSegment($input: DeleteSegmentInput!) {\n    deleteSegment(input: $input)\n  }\n": typeof types.DeleteSegmentDocument,
    "\n  query WhatsAppTemplates($id: ID!, $phoneNumberId: ID) {\n    organization(id: $id) {\n      id\n      templates(phoneNumberId: $phoneNumberId) {\n        ...WhatsAppTemplate\n      }\n    }\n  }\n": typeof types.WhatsAppTemplatesDocument,
    "\n  fragment WhatsAppTemplate on MessageTemplate {\n    id\n    name\n    language\n    category\n    status\n    qualityScore\n    rejectedReason\n    bodyText\n    parameterCount\n    updatedAt\n  }\n": typeof types.WhatsAppTemplateFragmentDoc,
    "\n  mutation SyncTemplates($input: TemplatesRefInput!) {\n    syncTemplates(input: $input) {\n      ...WhatsAppTemplate\n    }\n  }\n": typeof types.SyncTemplatesDocument,
    "\n  mutation CreateTemplate($input: CreateTemplateInput!) {\n    createTemplate(input: $input) {\n      ...WhatsAppTemplate\n    }\n  }\n": typeof types.CreateTemplateDocument,
    "\n  mutation DeleteTemplate($input: DeleteTemplateInput!) {\n    deleteTemplate(input: $input)\n  }\n": typeof types.DeleteTemplateDocument,
    "\n  query BusinessProfile($id: ID!, $phoneNumberId: ID!) {\n    businessProfile(organizationId: $id, phoneNumberId: $phoneNumberId) {\n      ...WhatsAppBusinessProfile\n    }\n  }\n": typeof types.BusinessProfileDocument,
    "\n  fragment WhatsAppBusinessProfile on BusinessProfile {\n    about\n    address\n    description\n    email\n    vertical\n    websites\n  }\n": typeof types.WhatsAppBusinessProfileFragmentDoc,
    "\n  mutation UpdateBusinessProfile($input: UpdateBusinessProfileInput!) {\n    updateBusinessProfile(input: $input) {\n      ...WhatsAppBusinessProfile\n    }\n  }\n": typeof types.UpdateBusinessProfileDocument,
    "\n  query WhatsAppNumbers($id: ID!) {\n    organization(id: $id) {\n      id\n      phoneNumbers {\n        id\n        phoneNumberId\n        displayPhoneNumber\n        verifiedName\n        qualityRating\n        status\n        nameStatus\n        messagingLimit\n        throughputLevel\n        refreshedAt\n        disconnectedAt\n      }\n    }\n  }\n": typeof types.WhatsAppNumbersDocument,
    "\n  mutation ConnectWhatsApp($input: ConnectWhatsAppInput!) {\n    connectWhatsApp(input: $input) {\n      id\n      phoneNumberId\n      displayPhoneNumber\n      verifiedName\n    }\n  }\n": typeof types.ConnectWhatsAppDocument,
    "\n  mutation CompleteEmbeddedSignup($input: CompleteEmbeddedSignupInput!) {\n    completeEmbeddedSignup(input: $input) {\n      id\n      phoneNumberId\n      displayPhoneNumber\n      verifiedName\n    }\n  }\n": typeof types.CompleteEmbeddedSignupDocument,
    "\n  mutation RefreshPhoneNumber($input: PhoneNumberRefInput!) {\n    refreshPhoneNumber(input: $input) {\n      id\n      displayPhoneNumber\n      verifiedName\n      qualityRating\n      status\n      nameStatus\n      messagingLimit\n      throughputLevel\n      refreshedAt\n    }\n  }\n": typeof types.RefreshPhoneNumberDocument,
    "\n  mutation DisconnectPhoneNumber($input: PhoneNumberRefInput!) {\n    disconnectPhoneNumber(input: $input) {\n      id\n      status\n      disconnectedAt\n    }\n  }\n": typeof types.DisconnectPhoneNumberDocument,
    "\n  query InboxUnreadCount($id: ID!) {\n    organization(id: $id) {\n      id\n      unreadCount\n    }\n  }\n": typeof types.InboxUnreadCountDocument,
    "\n  subscription InboxUnreadEvents($organizationId: ID!) {\n    inboxEvents(organizationId: $organizationId) {\n      kind\n    }\n  }\n": typeof types.InboxUnreadEventsDocument,
    "\n  query Viewer {\n    viewer {\n      kind\n      user {\n        id\n        name\n        email\n      }\n      memberships {\n        role\n        organization {\n          id\n          name\n        }\n      }\n    }\n  }\n": typeof types.ViewerDocument,
};
const documents: Documents = {
    "\n  query OrganizationSummary($id: ID!) {\n    organization(id: $id) {\n      id\n      name\n      createdAt\n      viewerRole\n    }\n  }\n": types.OrganizationSummaryDocument,
    "\n  subscription OrganizationEvents($organizationId: ID!) {\n    organizationEvents(organizationId: $organizationId) {\n      organizationId\n      kind\n      at\n    }\n  }\n": types.OrganizationEventsDocument,
    "\n  query OrganizationApiTokens($id: ID!) {\n    organization(id: $id) {\n      id\n      apiTokens(first: 100) {\n        nodes {\n          id\n          name\n          role\n          createdAt\n          expiresAt\n          revokedAt\n          lastUsedAt\n          createdBy {\n            id\n            name\n            email\n          }\n        }\n        pageInfo {\n          hasNextPage\n        }\n      }\n    }\n  }\n": types.OrganizationApiTokensDocument,
    "\n  mutation CreateApiToken($input: CreateApiTokenInput!) {\n    createApiToken(input: $input) {\n      token\n      apiToken {\n        id\n        name\n        role\n        expiresAt\n      }\n    }\n  }\n": types.CreateApiTokenDocument,
    "\n  mutation RevokeApiToken($input: RevokeApiTokenInput!) {\n    revokeApiToken(input: $input) {\n      id\n      revokedAt\n    }\n  }\n": types.RevokeApiTokenDocument,
    "\n  query AuditLog($id: ID!, $first: Int!, $after: String) {\n    organization(id: $id) {\n      id\n      auditLog(first: $first, after: $after) {\n        nodes {\n          id\n          action\n          actor {\n            id\n            name\n            email\n          }\n          actorApiTokenId\n          targetType\n          targetId\n          ip\n          userAgent\n          details\n          createdAt\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  }\n": types.AuditLogDocument,
    "\n  fragment CampaignStatsParts on CampaignStats {\n    audience\n    skipped\n    queued\n    sent\n    held\n    delivered\n    read\n    replied\n    failed\n    unknown\n    cancelled\n    optedOut\n    deliveryRate\n    readRate\n    replyRate\n    skippedByReason {\n      key\n      label\n      count\n    }\n    failedByCode {\n      key\n      label\n      count\n    }\n    billableByCategory {\n      key\n      label\n      count\n    }\n  }\n": types.CampaignStatsPartsFragmentDoc,
    "\n  fragment CampaignParts on Campaign {\n    id\n    name\n    status\n    statusReason\n    phoneNumberId\n    templateId\n    parameters {\n      part\n      buttonIndex\n      placeholder\n      field\n      text\n      fallback\n    }\n    audience {\n      tags\n      segmentIds\n      contactIds\n    }\n    schedule {\n      kind\n      at\n      date\n      time\n      every\n      weekday\n    }\n    retryPerUserLimit\n    replyWindowHours\n    parentId\n    createdAt\n    startsAt\n    launchedAt\n    finishedAt\n    stats {\n      ...CampaignStatsParts\n    }\n  }\n": types.CampaignPartsFragmentDoc,
    "\n  query Campaigns($id: ID!, $first: Int, $after: String) {\n    organization(id: $id) {\n      id\n      campaigns(first: $first, after: $after) {\n        nodes {\n          id\n          name\n          status\n          statusReason\n          createdAt\n          startsAt\n          stats {\n            audience\n            sent\n            deliveryRate\n            readRate\n            replyRate\n          }\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  }\n": types.CampaignsDocument,
    "\n  query Campaign($id: ID!, $campaignId: ID!) {\n    organization(id: $id) {\n      id\n      campaign(id: $campaignId) {\n        ...CampaignParts\n        recipientsCsvUrl\n      }\n    }\n  }\n": types.CampaignDocument,
    "\n  query CampaignTimeline($id: ID!, $campaignId: ID!) {\n    organization(id: $id) {\n      id\n      campaign(id: $campaignId) {\n        id\n        timeline {\n          minute\n          sent\n          delivered\n          read\n          replied\n          failed\n        }\n      }\n    }\n  }\n": types.CampaignTimelineDocument,
    "\n  subscription CampaignEvents($organizationId: ID!, $campaignId: ID!) {\n    campaignEvents(organizationId: $organizationId, campaignId: $campaignId) {\n      ...CampaignParts\n    }\n  }\n": types.CampaignEventsDocument,
    "\n  query CampaignBuilderOptions($id: ID!) {\n    organization(id: $id) {\n      id\n      phoneNumbers {\n        id\n        displayPhoneNumber\n        verifiedName\n        status\n        messagingLimit\n        disconnectedAt\n      }\n      contactFields {\n        key\n        label\n      }\n      segments {\n        id\n        name\n        contactCount\n      }\n    }\n  }\n": types.CampaignBuilderOptionsDocument,
    "\n  query CampaignTemplates($id: ID!, $phoneNumberId: ID) {\n    organization(id: $id) {\n      id\n      templates(phoneNumberId: $phoneNumberId) {\n        id\n        name\n        language\n        category\n        status\n        bodyText\n      }\n    }\n  }\n": types.CampaignTemplatesDocument,
    "\n  query TemplatePlaceholders($id: ID!, $templateId: ID!) {\n    organization(id: $id) {\n      id\n      templatePlaceholders(templateId: $templateId) {\n        part\n        buttonIndex\n        name\n        media\n      }\n    }\n  }\n": types.TemplatePlaceholdersDocument,
    "\n  query CampaignPreview($id: ID!, $campaignId: ID!) {\n    organization(id: $id) {\n      id\n      campaign(id: $campaignId) {\n        id\n        preview {\n          audience\n          queued\n          skipped {\n            reason\n            count\n          }\n          budget {\n            limit\n            used\n            left\n            needed\n            covers\n          }\n          samples {\n            contactId\n            name\n            address\n            skipReason\n            detail\n            text\n          }\n        }\n      }\n    }\n  }\n": types.CampaignPreviewDocument,
    "\n  query CampaignPreviewFor($id: ID!, $campaignId: ID!, $contactId: ID!) {\n    organization(id: $id) {\n      id\n      campaign(id: $campaignId) {\n        id\n        previewFor(contactId: $contactId) {\n          contactId\n          name\n          address\n          skipReason\n          detail\n          text\n        }\n      }\n    }\n  }\n": types.CampaignPreviewForDocument,
    "\n  query CampaignContactSearch($id: ID!, $search: String!) {\n    organization(id: $id) {\n      id\n      contacts(filter: { search: $search }, first: 8) {\n        nodes {\n          id\n          phone\n          waId\n          displayName\n        }\n      }\n    }\n  }\n": types.CampaignContactSearchDocument,
    "\n  query CampaignRecipients($id: ID!, $campaignId: ID!, $first: Int, $after: String, $filter: CampaignRecipientFilter) {\n    organization(id: $id) {\n      id\n      campaign(id: $campaignId) {\n        id\n        recipients(first: $first, after: $after, filter: $filter) {\n          nodes {\n            id\n            contactId\n            name\n            address\n            status\n            skipReason\n            attempts\n            errorCode\n            errorText\n            sentAt\n            deliveredAt\n            readAt\n            repliedAt\n            failedAt\n            optedOutAt\n            pricingCategory\n          }\n          pageInfo {\n            hasNextPage\n            endCursor\n          }\n        }\n      }\n    }\n  }\n": types.CampaignRecipientsDocument,
    "\n  mutation CreateCampaign($input: CampaignInput!) {\n    createCampaign(input: $input) {\n      ...CampaignParts\n    }\n  }\n": types.CreateCampaignDocument,
    "\n  mutation UpdateCampaign($campaignId: ID!, $input: CampaignInput!) {\n    updateCampaign(campaignId: $campaignId, input: $input) {\n      ...CampaignParts\n    }\n  }\n": types.UpdateCampaignDocument,
    "\n  mutation DeleteCampaign($organizationId: ID!, $campaignId: ID!) {\n    deleteCampaign(organizationId: $organizationId, campaignId: $campaignId)\n  }\n": types.DeleteCampaignDocument,
    "\n  mutation LaunchCampaign($organizationId: ID!, $campaignId: ID!) {\n    launchCampaign(organizationId: $organizationId, campaignId: $campaignId) {\n      ...CampaignParts\n    }\n  }\n": types.LaunchCampaignDocument,
    "\n  mutation PauseCampaign($organizationId: ID!, $campaignId: ID!) {\n    pauseCampaign(organizationId: $organizationId, campaignId: $campaignId) {\n      ...CampaignParts\n    }\n  }\n": types.PauseCampaignDocument,
    "\n  mutation ResumeCampaign($organizationId: ID!, $campaignId: ID!) {\n    resumeCampaign(organizationId: $organizationId, campaignId: $campaignId) {\n      ...CampaignParts\n    }\n  }\n": types.ResumeCampaignDocument,
    "\n  mutation CancelCampaign($organizationId: ID!, $campaignId: ID!) {\n    cancelCampaign(organizationId: $organizationId, campaignId: $campaignId) {\n      ...CampaignParts\n    }\n  }\n": types.CancelCampaignDocument,
    "\n  mutation DuplicateCampaign($organizationId: ID!, $campaignId: ID!) {\n    duplicateCampaign(organizationId: $organizationId, campaignId: $campaignId) {\n      id\n      name\n      status\n    }\n  }\n": types.DuplicateCampaignDocument,
    "\n  mutation RetryFailedRecipients($organizationId: ID!, $campaignId: ID!) {\n    retryFailedRecipients(organizationId: $organizationId, campaignId: $campaignId) {\n      ...CampaignParts\n    }\n  }\n": types.RetryFailedRecipientsDocument,
    "\n  fragment ContactListItem on Contact {\n    id\n    waId\n    phone\n    name\n    profileName\n    displayName\n    country\n    tags\n    marketing\n    lastInboundAt\n  }\n": types.ContactListItemFragmentDoc,
    "\n  query Contacts($id: ID!, $filter: ContactFilterInput, $first: Int, $after: String) {\n    organization(id: $id) {\n      id\n      contacts(filter: $filter, first: $first, after: $after) {\n        nodes {\n          ...ContactListItem\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  }\n": types.ContactsDocument,
    "\n  fragment ContactDetails on Contact {\n    id\n    waId\n    phone\n    userId\n    username\n    profileName\n    name\n    displayName\n    email\n    language\n    country\n    timeZone\n    tags\n    fields\n    createdAt\n    marketing\n    marketingSource\n    marketingChangedAt\n    lastInboundAt\n    lastOutboundAt\n    consentHistory {\n      marketing\n      source\n      detail\n      actor {\n        id\n        name\n        email\n      }\n      at\n    }\n  }\n": types.ContactDetailsFragmentDoc,
    "\n  fragment ContactFieldItem on ContactField {\n    key\n    label\n    kind\n    choices\n  }\n": types.ContactFieldItemFragmentDoc,
    "\n  query Contact($id: ID!, $contactId: ID!) {\n    organization(id: $id) {\n      id\n      contact(id: $contactId) {\n        ...ContactDetails\n      }\n      contactFields {\n        ...ContactFieldItem\n      }\n    }\n  }\n": types.ContactDocument,
    "\n  mutation UpdateContact($input: UpdateContactInput!) {\n    updateContact(input: $input) {\n      ...ContactDetails\n    }\n  }\n": types.UpdateContactDocument,
    "\n  query ContactFields($id: ID!) {\n    organization(id: $id) {\n      id\n      contactFields {\n        ...ContactFieldItem\n        createdAt\n      }\n    }\n  }\n": types.ContactFieldsDocument,
    "\n  mutation DefineContactField($input: DefineContactFieldInput!) {\n    defineContactField(input: $input) {\n      ...ContactFieldItem\n    }\n  }\n": types.DefineContactFieldDocument,
    "\n  mutation UpdateContactField($input: UpdateContactFieldInput!) {\n    updateContactField(input: $input) {\n      ...ContactFieldItem\n    }\n  }\n": types.UpdateContactFieldDocument,
    "\n  mutation DeleteContactField($input: DeleteContactFieldInput!) {\n    deleteContactField(input: $input) {\n      key\n      contactsCleared\n    }\n  }\n": types.DeleteContactFieldDocument,
    "\n  mutation SetContactOptIn($input: SetContactOptInInput!) {\n    setContactOptIn(input: $input) {\n      ...ContactDetails\n    }\n  }\n": types.SetContactOptInDocument,
    "\n  fragment ContactImportState on ContactImport {\n    id\n    fileName\n    format\n    size\n    status\n    createdAt\n    startedAt\n    finishedAt\n    createdBy {\n      id\n      name\n      email\n    }\n    progress\n    records\n    imported\n    updated\n    duplicates\n    invalid\n    empty\n    error\n    rejectedRowsUrl\n    options {\n      sheet\n      headerRow\n      delimiter\n      defaultCountry\n      mapping {\n        column\n        field\n      }\n      duplicates\n    }\n  }\n": types.ContactImportStateFragmentDoc,
    "\n  query ContactImport($id: ID!, $importId: ID!) {\n    organization(id: $id) {\n      id\n      contactImport(id: $importId) {\n        ...ContactImportState\n      }\n    }\n  }\n": types.ContactImportDocument,
    "\n  query RecentContactImports($id: ID!, $first: Int) {\n    organization(id: $id) {\n      id\n      contactImports(first: $first) {\n        nodes {\n          ...ContactImportState\n        }\n      }\n    }\n  }\n": types.RecentContactImportsDocument,
    "\n  query ContactImportPreview(\n    $id: ID!\n    $importId: ID!\n    $sheet: Int\n    $headerRow: Int\n    $delimiter: String\n    $defaultCountry: String\n    $mapping: [ColumnMappingInput!]\n  ) {\n    organization(id: $id) {\n      id\n      contactImport(id: $importId) {\n        id\n        preview(\n          sheet: $sheet\n          headerRow: $headerRow\n          delimiter: $delimiter\n          defaultCountry: $defaultCountry\n          mapping: $mapping\n        ) {\n          format\n          encoding\n          delimiter\n          sheets\n          headers\n          mapping {\n            column\n            field\n          }\n          defaultCountry\n          mappingProblem\n          rows {\n            line\n            cells\n            rejection\n            contact {\n              phone\n              name\n              email\n              language\n              country\n              timeZone\n              tags\n              fields\n              marketing\n            }\n          }\n        }\n      }\n    }\n  }\n": types.ContactImportPreviewDocument,
    "\n  mutation ImportContacts($input: ImportContactsInput!) {\n    importContacts(input: $input) {\n      ...ContactImportState\n    }\n  }\n": types.ImportContactsDocument,
    "\n  mutation CancelContactImport($organizationId: ID!, $importId: ID!) {\n    cancelContactImport(organizationId: $organizationId, importId: $importId) {\n      ...ContactImportState\n    }\n  }\n": types.CancelContactImportDocument,
    "\n  subscription ContactImportProgress($organizationId: ID!, $importId: ID!) {\n    contactImportProgress(organizationId: $organizationId, importId: $importId) {\n      ...ContactImportState\n    }\n  }\n": types.ContactImportProgressDocument,
    "\n  query CustomerPhoneNumbers($id: ID!) {\n    organization(id: $id) {\n      id\n      phoneNumbers {\n        id\n        phoneNumberId\n        displayPhoneNumber\n        verifiedName\n        disconnectedAt\n      }\n    }\n  }\n": types.CustomerPhoneNumbersDocument,
    "\n  fragment ConversationSummary on Conversation {\n    id\n    status\n    labels\n    unreadCount\n    lastMessageAt\n    lastMessagePreview\n    windowOpenUntil\n    windowOpen\n    contact {\n      id\n      waId\n      phone\n      userId\n      username\n      profileName\n    }\n    phoneNumber {\n      id\n      phoneNumberId\n      displayPhoneNumber\n      verifiedName\n      disconnectedAt\n    }\n    assignee {\n      id\n      name\n      email\n    }\n  }\n": types.ConversationSummaryFragmentDoc,
    "\n  fragment InboxMessage on Message {\n    id\n    conversationId\n    direction\n    wamid\n    kind\n    text\n    content\n    status\n    statusAt\n    error {\n      code\n      text\n    }\n    replyToWamid\n    sentBy {\n      id\n      name\n      email\n    }\n    sentAt\n    media {\n      url\n      mimeType\n      fileName\n      size\n      status\n      error\n    }\n  }\n": types.InboxMessageFragmentDoc,
    "\n  fragment ConversationNote on Note {\n    id\n    body\n    createdAt\n    author {\n      id\n      name\n      email\n    }\n  }\n": types.ConversationNoteFragmentDoc,
    "\n  query InboxSetup($id: ID!) {\n    organization(id: $id) {\n      id\n      phoneNumbers {\n        id\n        phoneNumberId\n        displayPhoneNumber\n        verifiedName\n        status\n        disconnectedAt\n      }\n      cannedResponses {\n        id\n        shortcut\n        body\n      }\n      members(first: 100) {\n        nodes {\n          role\n          user {\n            id\n            name\n            email\n          }\n        }\n      }\n    }\n  }\n": types.InboxSetupDocument,
    "\n  query InboxConversations($id: ID!, $filter: ConversationFilterInput, $first: Int, $after: String) {\n    organization(id: $id) {\n      id\n      conversations(filter: $filter, first: $first, after: $after) {\n        edges {\n          cursor\n          node {\n            ...ConversationSummary\n          }\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  }\n": types.InboxConversationsDocument,
    "\n  query ConversationThread($id: ID!, $conversationId: ID!, $first: Int) {\n    organization(id: $id) {\n      id\n      conversation(id: $conversationId) {\n        ...ConversationSummary\n        notes {\n          ...ConversationNote\n        }\n        messages(first: $first) {\n          edges {\n            cursor\n            node {\n              ...InboxMessage\n            }\n          }\n          pageInfo {\n            hasNextPage\n            endCursor\n          }\n        }\n      }\n    }\n  }\n": types.ConversationThreadDocument,
    "\n  query ConversationOlderMessages($id: ID!, $conversationId: ID!, $first: Int, $after: String) {\n    organization(id: $id) {\n      id\n      conversation(id: $conversationId) {\n        id\n        messages(first: $first, after: $after) {\n          edges {\n            cursor\n            node {\n              ...InboxMessage\n            }\n          }\n          pageInfo {\n            hasNextPage\n            endCursor\n          }\n        }\n      }\n    }\n  }\n": types.ConversationOlderMessagesDocument,
    "\n  subscription InboxEvents($organizationId: ID!) {\n    inboxEvents(organizationId: $organizationId) {\n      kind\n      conversation {\n        ...ConversationSummary\n      }\n      message {\n        ...InboxMessage\n      }\n    }\n  }\n": types.InboxEventsDocument,
    "\n  mutation SendMessage($input: SendMessageInput!) {\n    sendMessage(input: $input) {\n      ...InboxMessage\n    }\n  }\n": types.SendMessageDocument,
    "\n  mutation ReactToMessage($input: ReactToMessageInput!) {\n    reactToMessage(input: $input) {\n      ...InboxMessage\n    }\n  }\n": types.ReactToMessageDocument,
    "\n  mutation RetryMessage($input: RetryMessageInput!) {\n    retryMessage(input: $input) {\n      ...InboxMessage\n    }\n  }\n": types.RetryMessageDocument,
    "\n  mutation MarkConversationRead($input: ConversationRefInput!) {\n    markConversationRead(input: $input) {\n      ...ConversationSummary\n    }\n  }\n": types.MarkConversationReadDocument,
    "\n  mutation AssignConversation($input: AssignConversationInput!) {\n    assignConversation(input: $input) {\n      ...ConversationSummary\n    }\n  }\n": types.AssignConversationDocument,
    "\n  mutation SetConversationStatus($input: SetConversationStatusInput!) {\n    setConversationStatus(input: $input) {\n      ...ConversationSummary\n    }\n  }\n": types.SetConversationStatusDocument,
    "\n  mutation SetConversationLabels($input: SetConversationLabelsInput!) {\n    setConversationLabels(input: $input) {\n      ...ConversationSummary\n    }\n  }\n": types.SetConversationLabelsDocument,
    "\n  mutation AddNote($input: AddNoteInput!) {\n    addNote(input: $input) {\n      ...ConversationNote\n    }\n  }\n": types.AddNoteDocument,
    "\n  mutation CreateCannedResponse($input: CreateCannedResponseInput!) {\n    createCannedResponse(input: $input) {\n      id\n      shortcut\n      body\n    }\n  }\n": types.CreateCannedResponseDocument,
    "\n  mutation DeleteCannedResponse($input: DeleteCannedResponseInput!) {\n    deleteCannedResponse(input: $input)\n  }\n": types.DeleteCannedResponseDocument,
    "\n  query InboxTemplates($id: ID!, $phoneNumberId: ID) {\n    organization(id: $id) {\n      id\n      templates(phoneNumberId: $phoneNumberId) {\n        id\n        name\n        language\n        category\n        status\n        bodyText\n        parameterCount\n      }\n    }\n  }\n": types.InboxTemplatesDocument,
    "\n  query InvitationPreview($token: String!) {\n    invitation(token: $token) {\n      organizationName\n      email\n      role\n      status\n      expiresAt\n    }\n  }\n": types.InvitationPreviewDocument,
    "\n  mutation AcceptInvitation($input: AcceptInvitationInput!) {\n    acceptInvitation(input: $input) {\n      role\n      organization {\n        id\n        name\n      }\n    }\n  }\n": types.AcceptInvitationDocument,
    "\n  query OrganizationMembers($id: ID!) {\n    organization(id: $id) {\n      id\n      members(first: 100) {\n        nodes {\n          role\n          joinedAt\n          user {\n            id\n            name\n            email\n          }\n        }\n        pageInfo {\n          hasNextPage\n        }\n      }\n    }\n  }\n": types.OrganizationMembersDocument,
    "\n  query OrganizationInvitations($id: ID!) {\n    organization(id: $id) {\n      id\n      invitations(first: 100) {\n        nodes {\n          id\n          email\n          role\n          status\n          createdAt\n          expiresAt\n          invitedBy {\n            id\n            name\n            email\n          }\n        }\n        pageInfo {\n          hasNextPage\n        }\n      }\n    }\n  }\n": types.OrganizationInvitationsDocument,
    "\n  mutation InviteMember($input: InviteMemberInput!) {\n    inviteMember(input: $input) {\n      acceptUrl\n      invitation {\n        id\n        email\n        role\n        status\n        expiresAt\n      }\n    }\n  }\n": types.InviteMemberDocument,
    "\n  mutation RevokeInvitation($input: RevokeInvitationInput!) {\n    revokeInvitation(input: $input) {\n      id\n      status\n    }\n  }\n": types.RevokeInvitationDocument,
    "\n  mutation ChangeMemberRole($input: ChangeMemberRoleInput!) {\n    changeMemberRole(input: $input) {\n      role\n      user {\n        id\n      }\n    }\n  }\n": types.ChangeMemberRoleDocument,
    "\n  mutation RemoveMember($input: RemoveMemberInput!) {\n    removeMember(input: $input)\n  }\n": types.RemoveMemberDocument,
    "\n  mutation LeaveOrganization($input: LeaveOrganizationInput!) {\n    leaveOrganization(input: $input)\n  }\n": types.LeaveOrganizationDocument,
    "\n  mutation TransferOwnership($input: TransferOwnershipInput!) {\n    transferOwnership(input: $input) {\n      id\n      viewerRole\n    }\n  }\n": types.TransferOwnershipDocument,
    "\n  mutation CreateOrganization($input: CreateOrganizationInput!) {\n    createOrganization(input: $input) {\n      id\n      name\n      viewerRole\n    }\n  }\n": types.CreateOrganizationDocument,
    "\n  mutation RenameOrganization($input: RenameOrganizationInput!) {\n    renameOrganization(input: $input) {\n      id\n      name\n    }\n  }\n": types.RenameOrganizationDocument,
    "\n  query OrganizationOverview($id: ID!) {\n    organization(id: $id) {\n      id\n      members(first: 100) {\n        nodes {\n          role\n          user {\n            id\n          }\n        }\n        pageInfo {\n          hasNextPage\n        }\n      }\n    }\n  }\n": types.OrganizationOverviewDocument,
    "\n  query OrganizationSetup($id: ID!) {\n    organization(id: $id) {\n      id\n      invitations(first: 1) {\n        nodes {\n          id\n        }\n      }\n      apiTokens(first: 1) {\n        nodes {\n          id\n        }\n      }\n    }\n  }\n": types.OrganizationSetupDocument,
    "\n  fragment SegmentFilterParts on SegmentFilter {\n    tags {\n      allOf\n      anyOf\n      noneOf\n    }\n    fields {\n      key\n      operator\n      value\n    }\n    countries\n    marketing\n    activity {\n      direction\n      operator\n      at\n      days\n    }\n  }\n": types.SegmentFilterPartsFragmentDoc,
    "\n  query Segments($id: ID!) {\n    organization(id: $id) {\n      id\n      segments {\n        id\n        name\n        contactCount\n        contactsCsvUrl\n        updatedAt\n      }\n    }\n  }\n": types.SegmentsDocument,
    "\n  query Segment($id: ID!, $segmentId: ID!) {\n    organization(id: $id) {\n      id\n      segment(id: $segmentId) {\n        id\n        name\n        filter {\n          ...SegmentFilterParts\n        }\n      }\n    }\n  }\n": types.SegmentDocument,
    "\n  query SegmentFields($id: ID!) {\n    organization(id: $id) {\n      id\n      contactFields {\n        key\n        label\n        kind\n        choices\n      }\n    }\n  }\n": types.SegmentFieldsDocument,
    "\n  query SegmentPreview($organizationId: ID!, $filter: SegmentFilterInput!) {\n    segmentPreview(organizationId: $organizationId, filter: $filter, first: 10) {\n      contactCount\n      contacts {\n        id\n        phone\n        waId\n        displayName\n        country\n        tags\n        marketing\n      }\n    }\n  }\n": types.SegmentPreviewDocument,
    "\n  mutation CreateSegment($input: CreateSegmentInput!) {\n    createSegment(input: $input) {\n      id\n      name\n    }\n  }\n": types.CreateSegmentDocument,
    "\n  mutation UpdateSegment($input: UpdateSegmentInput!) {\n    updateSegment(input: $input) {\n      id\n      name\n    }\n  }\n": types.UpdateSegmentDocument,
    "\n  mutation DeleteSegment($input: DeleteSegmentInput!) {\n    deleteSegment(input: $input)\n  }\n": types.DeleteSegmentDocument,
    "\n  query WhatsAppTemplates($id: ID!, $phoneNumberId: ID) {\n    organization(id: $id) {\n      id\n      templates(phoneNumberId: $phoneNumberId) {\n        ...WhatsAppTemplate\n      }\n    }\n  }\n": types.WhatsAppTemplatesDocument,
    "\n  fragment WhatsAppTemplate on MessageTemplate {\n    id\n    name\n    language\n    category\n    status\n    qualityScore\n    rejectedReason\n    bodyText\n    parameterCount\n    updatedAt\n  }\n": types.WhatsAppTemplateFragmentDoc,
    "\n  mutation SyncTemplates($input: TemplatesRefInput!) {\n    syncTemplates(input: $input) {\n      ...WhatsAppTemplate\n    }\n  }\n": types.SyncTemplatesDocument,
    "\n  mutation CreateTemplate($input: CreateTemplateInput!) {\n    createTemplate(input: $input) {\n      ...WhatsAppTemplate\n    }\n  }\n": types.CreateTemplateDocument,
    "\n  mutation DeleteTemplate($input: DeleteTemplateInput!) {\n    deleteTemplate(input: $input)\n  }\n": types.DeleteTemplateDocument,
    "\n  query BusinessProfile($id: ID!, $phoneNumberId: ID!) {\n    businessProfile(organizationId: $id, phoneNumberId: $phoneNumberId) {\n      ...WhatsAppBusinessProfile\n    }\n  }\n": types.BusinessProfileDocument,
    "\n  fragment WhatsAppBusinessProfile on BusinessProfile {\n    about\n    address\n    description\n    email\n    vertical\n    websites\n  }\n": types.WhatsAppBusinessProfileFragmentDoc,
    "\n  mutation UpdateBusinessProfile($input: UpdateBusinessProfileInput!) {\n    updateBusinessProfile(input: $input) {\n      ...WhatsAppBusinessProfile\n    }\n  }\n": types.UpdateBusinessProfileDocument,
    "\n  query WhatsAppNumbers($id: ID!) {\n    organization(id: $id) {\n      id\n      phoneNumbers {\n        id\n        phoneNumberId\n        displayPhoneNumber\n        verifiedName\n        qualityRating\n        status\n        nameStatus\n        messagingLimit\n        throughputLevel\n        refreshedAt\n        disconnectedAt\n      }\n    }\n  }\n": types.WhatsAppNumbersDocument,
    "\n  mutation ConnectWhatsApp($input: ConnectWhatsAppInput!) {\n    connectWhatsApp(input: $input) {\n      id\n      phoneNumberId\n      displayPhoneNumber\n      verifiedName\n    }\n  }\n": types.ConnectWhatsAppDocument,
    "\n  mutation CompleteEmbeddedSignup($input: CompleteEmbeddedSignupInput!) {\n    completeEmbeddedSignup(input: $input) {\n      id\n      phoneNumberId\n      displayPhoneNumber\n      verifiedName\n    }\n  }\n": types.CompleteEmbeddedSignupDocument,
    "\n  mutation RefreshPhoneNumber($input: PhoneNumberRefInput!) {\n    refreshPhoneNumber(input: $input) {\n      id\n      displayPhoneNumber\n      verifiedName\n      qualityRating\n      status\n      nameStatus\n      messagingLimit\n      throughputLevel\n      refreshedAt\n    }\n  }\n": types.RefreshPhoneNumberDocument,
    "\n  mutation DisconnectPhoneNumber($input: PhoneNumberRefInput!) {\n    disconnectPhoneNumber(input: $input) {\n      id\n      status\n      disconnectedAt\n    }\n  }\n": types.DisconnectPhoneNumberDocument,
    "\n  query InboxUnreadCount($id: ID!) {\n    organization(id: $id) {\n      id\n      unreadCount\n    }\n  }\n": types.InboxUnreadCountDocument,
    "\n  subscription InboxUnreadEvents($organizationId: ID!) {\n    inboxEvents(organizationId: $organizationId) {\n      kind\n    }\n  }\n": types.InboxUnreadEventsDocument,
    "\n  query Viewer {\n    viewer {\n      kind\n      user {\n        id\n        name\n        email\n      }\n      memberships {\n        role\n        organization {\n          id\n          name\n        }\n      }\n    }\n  }\n": types.ViewerDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query OrganizationSummary($id: ID!) {\n    organization(id: $id) {\n      id\n      name\n      createdAt\n      viewerRole\n    }\n  }\n"): (typeof documents)["\n  query OrganizationSummary($id: ID!) {\n    organization(id: $id) {\n      id\n      name\n      createdAt\n      viewerRole\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription OrganizationEvents($organizationId: ID!) {\n    organizationEvents(organizationId: $organizationId) {\n      organizationId\n      kind\n      at\n    }\n  }\n"): (typeof documents)["\n  subscription OrganizationEvents($organizationId: ID!) {\n    organizationEvents(organizationId: $organizationId) {\n      organizationId\n      kind\n      at\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query OrganizationApiTokens($id: ID!) {\n    organization(id: $id) {\n      id\n      apiTokens(first: 100) {\n        nodes {\n          id\n          name\n          role\n          createdAt\n          expiresAt\n          revokedAt\n          lastUsedAt\n          createdBy {\n            id\n            name\n            email\n          }\n        }\n        pageInfo {\n          hasNextPage\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query OrganizationApiTokens($id: ID!) {\n    organization(id: $id) {\n      id\n      apiTokens(first: 100) {\n        nodes {\n          id\n          name\n          role\n          createdAt\n          expiresAt\n          revokedAt\n          lastUsedAt\n          createdBy {\n            id\n            name\n            email\n          }\n        }\n        pageInfo {\n          hasNextPage\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateApiToken($input: CreateApiTokenInput!) {\n    createApiToken(input: $input) {\n      token\n      apiToken {\n        id\n        name\n        role\n        expiresAt\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation CreateApiToken($input: CreateApiTokenInput!) {\n    createApiToken(input: $input) {\n      token\n      apiToken {\n        id\n        name\n        role\n        expiresAt\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RevokeApiToken($input: RevokeApiTokenInput!) {\n    revokeApiToken(input: $input) {\n      id\n      revokedAt\n    }\n  }\n"): (typeof documents)["\n  mutation RevokeApiToken($input: RevokeApiTokenInput!) {\n    revokeApiToken(input: $input) {\n      id\n      revokedAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AuditLog($id: ID!, $first: Int!, $after: String) {\n    organization(id: $id) {\n      id\n      auditLog(first: $first, after: $after) {\n        nodes {\n          id\n          action\n          actor {\n            id\n            name\n            email\n          }\n          actorApiTokenId\n          targetType\n          targetId\n          ip\n          userAgent\n          details\n          createdAt\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query AuditLog($id: ID!, $first: Int!, $after: String) {\n    organization(id: $id) {\n      id\n      auditLog(first: $first, after: $after) {\n        nodes {\n          id\n          action\n          actor {\n            id\n            name\n            email\n          }\n          actorApiTokenId\n          targetType\n          targetId\n          ip\n          userAgent\n          details\n          createdAt\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment CampaignStatsParts on CampaignStats {\n    audience\n    skipped\n    queued\n    sent\n    held\n    delivered\n    read\n    replied\n    failed\n    unknown\n    cancelled\n    optedOut\n    deliveryRate\n    readRate\n    replyRate\n    skippedByReason {\n      key\n      label\n      count\n    }\n    failedByCode {\n      key\n      label\n      count\n    }\n    billableByCategory {\n      key\n      label\n      count\n    }\n  }\n"): (typeof documents)["\n  fragment CampaignStatsParts on CampaignStats {\n    audience\n    skipped\n    queued\n    sent\n    held\n    delivered\n    read\n    replied\n    failed\n    unknown\n    cancelled\n    optedOut\n    deliveryRate\n    readRate\n    replyRate\n    skippedByReason {\n      key\n      label\n      count\n    }\n    failedByCode {\n      key\n      label\n      count\n    }\n    billableByCategory {\n      key\n      label\n      count\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment CampaignParts on Campaign {\n    id\n    name\n    status\n    statusReason\n    phoneNumberId\n    templateId\n    parameters {\n      part\n      buttonIndex\n      placeholder\n      field\n      text\n      fallback\n    }\n    audience {\n      tags\n      segmentIds\n      contactIds\n    }\n    schedule {\n      kind\n      at\n      date\n      time\n      every\n      weekday\n    }\n    retryPerUserLimit\n    replyWindowHours\n    parentId\n    createdAt\n    startsAt\n    launchedAt\n    finishedAt\n    stats {\n      ...CampaignStatsParts\n    }\n  }\n"): (typeof documents)["\n  fragment CampaignParts on Campaign {\n    id\n    name\n    status\n    statusReason\n    phoneNumberId\n    templateId\n    parameters {\n      part\n      buttonIndex\n      placeholder\n      field\n      text\n      fallback\n    }\n    audience {\n      tags\n      segmentIds\n      contactIds\n    }\n    schedule {\n      kind\n      at\n      date\n      time\n      every\n      weekday\n    }\n    retryPerUserLimit\n    replyWindowHours\n    parentId\n    createdAt\n    startsAt\n    launchedAt\n    finishedAt\n    stats {\n      ...CampaignStatsParts\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Campaigns($id: ID!, $first: Int, $after: String) {\n    organization(id: $id) {\n      id\n      campaigns(first: $first, after: $after) {\n        nodes {\n          id\n          name\n          status\n          statusReason\n          createdAt\n          startsAt\n          stats {\n            audience\n            sent\n            deliveryRate\n            readRate\n            replyRate\n          }\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Campaigns($id: ID!, $first: Int, $after: String) {\n    organization(id: $id) {\n      id\n      campaigns(first: $first, after: $after) {\n        nodes {\n          id\n          name\n          status\n          statusReason\n          createdAt\n          startsAt\n          stats {\n            audience\n            sent\n            deliveryRate\n            readRate\n            replyRate\n          }\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Campaign($id: ID!, $campaignId: ID!) {\n    organization(id: $id) {\n      id\n      campaign(id: $campaignId) {\n        ...CampaignParts\n        recipientsCsvUrl\n      }\n    }\n  }\n"): (typeof documents)["\n  query Campaign($id: ID!, $campaignId: ID!) {\n    organization(id: $id) {\n      id\n      campaign(id: $campaignId) {\n        ...CampaignParts\n        recipientsCsvUrl\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CampaignTimeline($id: ID!, $campaignId: ID!) {\n    organization(id: $id) {\n      id\n      campaign(id: $campaignId) {\n        id\n        timeline {\n          minute\n          sent\n          delivered\n          read\n          replied\n          failed\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query CampaignTimeline($id: ID!, $campaignId: ID!) {\n    organization(id: $id) {\n      id\n      campaign(id: $campaignId) {\n        id\n        timeline {\n          minute\n          sent\n          delivered\n          read\n          replied\n          failed\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription CampaignEvents($organizationId: ID!, $campaignId: ID!) {\n    campaignEvents(organizationId: $organizationId, campaignId: $campaignId) {\n      ...CampaignParts\n    }\n  }\n"): (typeof documents)["\n  subscription CampaignEvents($organizationId: ID!, $campaignId: ID!) {\n    campaignEvents(organizationId: $organizationId, campaignId: $campaignId) {\n      ...CampaignParts\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CampaignBuilderOptions($id: ID!) {\n    organization(id: $id) {\n      id\n      phoneNumbers {\n        id\n        displayPhoneNumber\n        verifiedName\n        status\n        messagingLimit\n        disconnectedAt\n      }\n      contactFields {\n        key\n        label\n      }\n      segments {\n        id\n        name\n        contactCount\n      }\n    }\n  }\n"): (typeof documents)["\n  query CampaignBuilderOptions($id: ID!) {\n    organization(id: $id) {\n      id\n      phoneNumbers {\n        id\n        displayPhoneNumber\n        verifiedName\n        status\n        messagingLimit\n        disconnectedAt\n      }\n      contactFields {\n        key\n        label\n      }\n      segments {\n        id\n        name\n        contactCount\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CampaignTemplates($id: ID!, $phoneNumberId: ID) {\n    organization(id: $id) {\n      id\n      templates(phoneNumberId: $phoneNumberId) {\n        id\n        name\n        language\n        category\n        status\n        bodyText\n      }\n    }\n  }\n"): (typeof documents)["\n  query CampaignTemplates($id: ID!, $phoneNumberId: ID) {\n    organization(id: $id) {\n      id\n      templates(phoneNumberId: $phoneNumberId) {\n        id\n        name\n        language\n        category\n        status\n        bodyText\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query TemplatePlaceholders($id: ID!, $templateId: ID!) {\n    organization(id: $id) {\n      id\n      templatePlaceholders(templateId: $templateId) {\n        part\n        buttonIndex\n        name\n        media\n      }\n    }\n  }\n"): (typeof documents)["\n  query TemplatePlaceholders($id: ID!, $templateId: ID!) {\n    organization(id: $id) {\n      id\n      templatePlaceholders(templateId: $templateId) {\n        part\n        buttonIndex\n        name\n        media\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CampaignPreview($id: ID!, $campaignId: ID!) {\n    organization(id: $id) {\n      id\n      campaign(id: $campaignId) {\n        id\n        preview {\n          audience\n          queued\n          skipped {\n            reason\n            count\n          }\n          budget {\n            limit\n            used\n            left\n            needed\n            covers\n          }\n          samples {\n            contactId\n            name\n            address\n            skipReason\n            detail\n            text\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query CampaignPreview($id: ID!, $campaignId: ID!) {\n    organization(id: $id) {\n      id\n      campaign(id: $campaignId) {\n        id\n        preview {\n          audience\n          queued\n          skipped {\n            reason\n            count\n          }\n          budget {\n            limit\n            used\n            left\n            needed\n            covers\n          }\n          samples {\n            contactId\n            name\n            address\n            skipReason\n            detail\n            text\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CampaignPreviewFor($id: ID!, $campaignId: ID!, $contactId: ID!) {\n    organization(id: $id) {\n      id\n      campaign(id: $campaignId) {\n        id\n        previewFor(contactId: $contactId) {\n          contactId\n          name\n          address\n          skipReason\n          detail\n          text\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query CampaignPreviewFor($id: ID!, $campaignId: ID!, $contactId: ID!) {\n    organization(id: $id) {\n      id\n      campaign(id: $campaignId) {\n        id\n        previewFor(contactId: $contactId) {\n          contactId\n          name\n          address\n          skipReason\n          detail\n          text\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CampaignContactSearch($id: ID!, $search: String!) {\n    organization(id: $id) {\n      id\n      contacts(filter: { search: $search }, first: 8) {\n        nodes {\n          id\n          phone\n          waId\n          displayName\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query CampaignContactSearch($id: ID!, $search: String!) {\n    organization(id: $id) {\n      id\n      contacts(filter: { search: $search }, first: 8) {\n        nodes {\n          id\n          phone\n          waId\n          displayName\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CampaignRecipients($id: ID!, $campaignId: ID!, $first: Int, $after: String, $filter: CampaignRecipientFilter) {\n    organization(id: $id) {\n      id\n      campaign(id: $campaignId) {\n        id\n        recipients(first: $first, after: $after, filter: $filter) {\n          nodes {\n            id\n            contactId\n            name\n            address\n            status\n            skipReason\n            attempts\n            errorCode\n            errorText\n            sentAt\n            deliveredAt\n            readAt\n            repliedAt\n            failedAt\n            optedOutAt\n            pricingCategory\n          }\n          pageInfo {\n            hasNextPage\n            endCursor\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query CampaignRecipients($id: ID!, $campaignId: ID!, $first: Int, $after: String, $filter: CampaignRecipientFilter) {\n    organization(id: $id) {\n      id\n      campaign(id: $campaignId) {\n        id\n        recipients(first: $first, after: $after, filter: $filter) {\n          nodes {\n            id\n            contactId\n            name\n            address\n            status\n            skipReason\n            attempts\n            errorCode\n            errorText\n            sentAt\n            deliveredAt\n            readAt\n            repliedAt\n            failedAt\n            optedOutAt\n            pricingCategory\n          }\n          pageInfo {\n            hasNextPage\n            endCursor\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateCampaign($input: CampaignInput!) {\n    createCampaign(input: $input) {\n      ...CampaignParts\n    }\n  }\n"): (typeof documents)["\n  mutation CreateCampaign($input: CampaignInput!) {\n    createCampaign(input: $input) {\n      ...CampaignParts\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateCampaign($campaignId: ID!, $input: CampaignInput!) {\n    updateCampaign(campaignId: $campaignId, input: $input) {\n      ...CampaignParts\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateCampaign($campaignId: ID!, $input: CampaignInput!) {\n    updateCampaign(campaignId: $campaignId, input: $input) {\n      ...CampaignParts\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteCampaign($organizationId: ID!, $campaignId: ID!) {\n    deleteCampaign(organizationId: $organizationId, campaignId: $campaignId)\n  }\n"): (typeof documents)["\n  mutation DeleteCampaign($organizationId: ID!, $campaignId: ID!) {\n    deleteCampaign(organizationId: $organizationId, campaignId: $campaignId)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LaunchCampaign($organizationId: ID!, $campaignId: ID!) {\n    launchCampaign(organizationId: $organizationId, campaignId: $campaignId) {\n      ...CampaignParts\n    }\n  }\n"): (typeof documents)["\n  mutation LaunchCampaign($organizationId: ID!, $campaignId: ID!) {\n    launchCampaign(organizationId: $organizationId, campaignId: $campaignId) {\n      ...CampaignParts\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation PauseCampaign($organizationId: ID!, $campaignId: ID!) {\n    pauseCampaign(organizationId: $organizationId, campaignId: $campaignId) {\n      ...CampaignParts\n    }\n  }\n"): (typeof documents)["\n  mutation PauseCampaign($organizationId: ID!, $campaignId: ID!) {\n    pauseCampaign(organizationId: $organizationId, campaignId: $campaignId) {\n      ...CampaignParts\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ResumeCampaign($organizationId: ID!, $campaignId: ID!) {\n    resumeCampaign(organizationId: $organizationId, campaignId: $campaignId) {\n      ...CampaignParts\n    }\n  }\n"): (typeof documents)["\n  mutation ResumeCampaign($organizationId: ID!, $campaignId: ID!) {\n    resumeCampaign(organizationId: $organizationId, campaignId: $campaignId) {\n      ...CampaignParts\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CancelCampaign($organizationId: ID!, $campaignId: ID!) {\n    cancelCampaign(organizationId: $organizationId, campaignId: $campaignId) {\n      ...CampaignParts\n    }\n  }\n"): (typeof documents)["\n  mutation CancelCampaign($organizationId: ID!, $campaignId: ID!) {\n    cancelCampaign(organizationId: $organizationId, campaignId: $campaignId) {\n      ...CampaignParts\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DuplicateCampaign($organizationId: ID!, $campaignId: ID!) {\n    duplicateCampaign(organizationId: $organizationId, campaignId: $campaignId) {\n      id\n      name\n      status\n    }\n  }\n"): (typeof documents)["\n  mutation DuplicateCampaign($organizationId: ID!, $campaignId: ID!) {\n    duplicateCampaign(organizationId: $organizationId, campaignId: $campaignId) {\n      id\n      name\n      status\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RetryFailedRecipients($organizationId: ID!, $campaignId: ID!) {\n    retryFailedRecipients(organizationId: $organizationId, campaignId: $campaignId) {\n      ...CampaignParts\n    }\n  }\n"): (typeof documents)["\n  mutation RetryFailedRecipients($organizationId: ID!, $campaignId: ID!) {\n    retryFailedRecipients(organizationId: $organizationId, campaignId: $campaignId) {\n      ...CampaignParts\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ContactListItem on Contact {\n    id\n    waId\n    phone\n    name\n    profileName\n    displayName\n    country\n    tags\n    marketing\n    lastInboundAt\n  }\n"): (typeof documents)["\n  fragment ContactListItem on Contact {\n    id\n    waId\n    phone\n    name\n    profileName\n    displayName\n    country\n    tags\n    marketing\n    lastInboundAt\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Contacts($id: ID!, $filter: ContactFilterInput, $first: Int, $after: String) {\n    organization(id: $id) {\n      id\n      contacts(filter: $filter, first: $first, after: $after) {\n        nodes {\n          ...ContactListItem\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Contacts($id: ID!, $filter: ContactFilterInput, $first: Int, $after: String) {\n    organization(id: $id) {\n      id\n      contacts(filter: $filter, first: $first, after: $after) {\n        nodes {\n          ...ContactListItem\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ContactDetails on Contact {\n    id\n    waId\n    phone\n    userId\n    username\n    profileName\n    name\n    displayName\n    email\n    language\n    country\n    timeZone\n    tags\n    fields\n    createdAt\n    marketing\n    marketingSource\n    marketingChangedAt\n    lastInboundAt\n    lastOutboundAt\n    consentHistory {\n      marketing\n      source\n      detail\n      actor {\n        id\n        name\n        email\n      }\n      at\n    }\n  }\n"): (typeof documents)["\n  fragment ContactDetails on Contact {\n    id\n    waId\n    phone\n    userId\n    username\n    profileName\n    name\n    displayName\n    email\n    language\n    country\n    timeZone\n    tags\n    fields\n    createdAt\n    marketing\n    marketingSource\n    marketingChangedAt\n    lastInboundAt\n    lastOutboundAt\n    consentHistory {\n      marketing\n      source\n      detail\n      actor {\n        id\n        name\n        email\n      }\n      at\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ContactFieldItem on ContactField {\n    key\n    label\n    kind\n    choices\n  }\n"): (typeof documents)["\n  fragment ContactFieldItem on ContactField {\n    key\n    label\n    kind\n    choices\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Contact($id: ID!, $contactId: ID!) {\n    organization(id: $id) {\n      id\n      contact(id: $contactId) {\n        ...ContactDetails\n      }\n      contactFields {\n        ...ContactFieldItem\n      }\n    }\n  }\n"): (typeof documents)["\n  query Contact($id: ID!, $contactId: ID!) {\n    organization(id: $id) {\n      id\n      contact(id: $contactId) {\n        ...ContactDetails\n      }\n      contactFields {\n        ...ContactFieldItem\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateContact($input: UpdateContactInput!) {\n    updateContact(input: $input) {\n      ...ContactDetails\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateContact($input: UpdateContactInput!) {\n    updateContact(input: $input) {\n      ...ContactDetails\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ContactFields($id: ID!) {\n    organization(id: $id) {\n      id\n      contactFields {\n        ...ContactFieldItem\n        createdAt\n      }\n    }\n  }\n"): (typeof documents)["\n  query ContactFields($id: ID!) {\n    organization(id: $id) {\n      id\n      contactFields {\n        ...ContactFieldItem\n        createdAt\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DefineContactField($input: DefineContactFieldInput!) {\n    defineContactField(input: $input) {\n      ...ContactFieldItem\n    }\n  }\n"): (typeof documents)["\n  mutation DefineContactField($input: DefineContactFieldInput!) {\n    defineContactField(input: $input) {\n      ...ContactFieldItem\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateContactField($input: UpdateContactFieldInput!) {\n    updateContactField(input: $input) {\n      ...ContactFieldItem\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateContactField($input: UpdateContactFieldInput!) {\n    updateContactField(input: $input) {\n      ...ContactFieldItem\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteContactField($input: DeleteContactFieldInput!) {\n    deleteContactField(input: $input) {\n      key\n      contactsCleared\n    }\n  }\n"): (typeof documents)["\n  mutation DeleteContactField($input: DeleteContactFieldInput!) {\n    deleteContactField(input: $input) {\n      key\n      contactsCleared\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetContactOptIn($input: SetContactOptInInput!) {\n    setContactOptIn(input: $input) {\n      ...ContactDetails\n    }\n  }\n"): (typeof documents)["\n  mutation SetContactOptIn($input: SetContactOptInInput!) {\n    setContactOptIn(input: $input) {\n      ...ContactDetails\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ContactImportState on ContactImport {\n    id\n    fileName\n    format\n    size\n    status\n    createdAt\n    startedAt\n    finishedAt\n    createdBy {\n      id\n      name\n      email\n    }\n    progress\n    records\n    imported\n    updated\n    duplicates\n    invalid\n    empty\n    error\n    rejectedRowsUrl\n    options {\n      sheet\n      headerRow\n      delimiter\n      defaultCountry\n      mapping {\n        column\n        field\n      }\n      duplicates\n    }\n  }\n"): (typeof documents)["\n  fragment ContactImportState on ContactImport {\n    id\n    fileName\n    format\n    size\n    status\n    createdAt\n    startedAt\n    finishedAt\n    createdBy {\n      id\n      name\n      email\n    }\n    progress\n    records\n    imported\n    updated\n    duplicates\n    invalid\n    empty\n    error\n    rejectedRowsUrl\n    options {\n      sheet\n      headerRow\n      delimiter\n      defaultCountry\n      mapping {\n        column\n        field\n      }\n      duplicates\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ContactImport($id: ID!, $importId: ID!) {\n    organization(id: $id) {\n      id\n      contactImport(id: $importId) {\n        ...ContactImportState\n      }\n    }\n  }\n"): (typeof documents)["\n  query ContactImport($id: ID!, $importId: ID!) {\n    organization(id: $id) {\n      id\n      contactImport(id: $importId) {\n        ...ContactImportState\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RecentContactImports($id: ID!, $first: Int) {\n    organization(id: $id) {\n      id\n      contactImports(first: $first) {\n        nodes {\n          ...ContactImportState\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query RecentContactImports($id: ID!, $first: Int) {\n    organization(id: $id) {\n      id\n      contactImports(first: $first) {\n        nodes {\n          ...ContactImportState\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ContactImportPreview(\n    $id: ID!\n    $importId: ID!\n    $sheet: Int\n    $headerRow: Int\n    $delimiter: String\n    $defaultCountry: String\n    $mapping: [ColumnMappingInput!]\n  ) {\n    organization(id: $id) {\n      id\n      contactImport(id: $importId) {\n        id\n        preview(\n          sheet: $sheet\n          headerRow: $headerRow\n          delimiter: $delimiter\n          defaultCountry: $defaultCountry\n          mapping: $mapping\n        ) {\n          format\n          encoding\n          delimiter\n          sheets\n          headers\n          mapping {\n            column\n            field\n          }\n          defaultCountry\n          mappingProblem\n          rows {\n            line\n            cells\n            rejection\n            contact {\n              phone\n              name\n              email\n              language\n              country\n              timeZone\n              tags\n              fields\n              marketing\n            }\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query ContactImportPreview(\n    $id: ID!\n    $importId: ID!\n    $sheet: Int\n    $headerRow: Int\n    $delimiter: String\n    $defaultCountry: String\n    $mapping: [ColumnMappingInput!]\n  ) {\n    organization(id: $id) {\n      id\n      contactImport(id: $importId) {\n        id\n        preview(\n          sheet: $sheet\n          headerRow: $headerRow\n          delimiter: $delimiter\n          defaultCountry: $defaultCountry\n          mapping: $mapping\n        ) {\n          format\n          encoding\n          delimiter\n          sheets\n          headers\n          mapping {\n            column\n            field\n          }\n          defaultCountry\n          mappingProblem\n          rows {\n            line\n            cells\n            rejection\n            contact {\n              phone\n              name\n              email\n              language\n              country\n              timeZone\n              tags\n              fields\n              marketing\n            }\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ImportContacts($input: ImportContactsInput!) {\n    importContacts(input: $input) {\n      ...ContactImportState\n    }\n  }\n"): (typeof documents)["\n  mutation ImportContacts($input: ImportContactsInput!) {\n    importContacts(input: $input) {\n      ...ContactImportState\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CancelContactImport($organizationId: ID!, $importId: ID!) {\n    cancelContactImport(organizationId: $organizationId, importId: $importId) {\n      ...ContactImportState\n    }\n  }\n"): (typeof documents)["\n  mutation CancelContactImport($organizationId: ID!, $importId: ID!) {\n    cancelContactImport(organizationId: $organizationId, importId: $importId) {\n      ...ContactImportState\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription ContactImportProgress($organizationId: ID!, $importId: ID!) {\n    contactImportProgress(organizationId: $organizationId, importId: $importId) {\n      ...ContactImportState\n    }\n  }\n"): (typeof documents)["\n  subscription ContactImportProgress($organizationId: ID!, $importId: ID!) {\n    contactImportProgress(organizationId: $organizationId, importId: $importId) {\n      ...ContactImportState\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CustomerPhoneNumbers($id: ID!) {\n    organization(id: $id) {\n      id\n      phoneNumbers {\n        id\n        phoneNumberId\n        displayPhoneNumber\n        verifiedName\n        disconnectedAt\n      }\n    }\n  }\n"): (typeof documents)["\n  query CustomerPhoneNumbers($id: ID!) {\n    organization(id: $id) {\n      id\n      phoneNumbers {\n        id\n        phoneNumberId\n        displayPhoneNumber\n        verifiedName\n        disconnectedAt\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ConversationSummary on Conversation {\n    id\n    status\n    labels\n    unreadCount\n    lastMessageAt\n    lastMessagePreview\n    windowOpenUntil\n    windowOpen\n    contact {\n      id\n      waId\n      phone\n      userId\n      username\n      profileName\n    }\n    phoneNumber {\n      id\n      phoneNumberId\n      displayPhoneNumber\n      verifiedName\n      disconnectedAt\n    }\n    assignee {\n      id\n      name\n      email\n    }\n  }\n"): (typeof documents)["\n  fragment ConversationSummary on Conversation {\n    id\n    status\n    labels\n    unreadCount\n    lastMessageAt\n    lastMessagePreview\n    windowOpenUntil\n    windowOpen\n    contact {\n      id\n      waId\n      phone\n      userId\n      username\n      profileName\n    }\n    phoneNumber {\n      id\n      phoneNumberId\n      displayPhoneNumber\n      verifiedName\n      disconnectedAt\n    }\n    assignee {\n      id\n      name\n      email\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment InboxMessage on Message {\n    id\n    conversationId\n    direction\n    wamid\n    kind\n    text\n    content\n    status\n    statusAt\n    error {\n      code\n      text\n    }\n    replyToWamid\n    sentBy {\n      id\n      name\n      email\n    }\n    sentAt\n    media {\n      url\n      mimeType\n      fileName\n      size\n      status\n      error\n    }\n  }\n"): (typeof documents)["\n  fragment InboxMessage on Message {\n    id\n    conversationId\n    direction\n    wamid\n    kind\n    text\n    content\n    status\n    statusAt\n    error {\n      code\n      text\n    }\n    replyToWamid\n    sentBy {\n      id\n      name\n      email\n    }\n    sentAt\n    media {\n      url\n      mimeType\n      fileName\n      size\n      status\n      error\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ConversationNote on Note {\n    id\n    body\n    createdAt\n    author {\n      id\n      name\n      email\n    }\n  }\n"): (typeof documents)["\n  fragment ConversationNote on Note {\n    id\n    body\n    createdAt\n    author {\n      id\n      name\n      email\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query InboxSetup($id: ID!) {\n    organization(id: $id) {\n      id\n      phoneNumbers {\n        id\n        phoneNumberId\n        displayPhoneNumber\n        verifiedName\n        status\n        disconnectedAt\n      }\n      cannedResponses {\n        id\n        shortcut\n        body\n      }\n      members(first: 100) {\n        nodes {\n          role\n          user {\n            id\n            name\n            email\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query InboxSetup($id: ID!) {\n    organization(id: $id) {\n      id\n      phoneNumbers {\n        id\n        phoneNumberId\n        displayPhoneNumber\n        verifiedName\n        status\n        disconnectedAt\n      }\n      cannedResponses {\n        id\n        shortcut\n        body\n      }\n      members(first: 100) {\n        nodes {\n          role\n          user {\n            id\n            name\n            email\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query InboxConversations($id: ID!, $filter: ConversationFilterInput, $first: Int, $after: String) {\n    organization(id: $id) {\n      id\n      conversations(filter: $filter, first: $first, after: $after) {\n        edges {\n          cursor\n          node {\n            ...ConversationSummary\n          }\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query InboxConversations($id: ID!, $filter: ConversationFilterInput, $first: Int, $after: String) {\n    organization(id: $id) {\n      id\n      conversations(filter: $filter, first: $first, after: $after) {\n        edges {\n          cursor\n          node {\n            ...ConversationSummary\n          }\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConversationThread($id: ID!, $conversationId: ID!, $first: Int) {\n    organization(id: $id) {\n      id\n      conversation(id: $conversationId) {\n        ...ConversationSummary\n        notes {\n          ...ConversationNote\n        }\n        messages(first: $first) {\n          edges {\n            cursor\n            node {\n              ...InboxMessage\n            }\n          }\n          pageInfo {\n            hasNextPage\n            endCursor\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query ConversationThread($id: ID!, $conversationId: ID!, $first: Int) {\n    organization(id: $id) {\n      id\n      conversation(id: $conversationId) {\n        ...ConversationSummary\n        notes {\n          ...ConversationNote\n        }\n        messages(first: $first) {\n          edges {\n            cursor\n            node {\n              ...InboxMessage\n            }\n          }\n          pageInfo {\n            hasNextPage\n            endCursor\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConversationOlderMessages($id: ID!, $conversationId: ID!, $first: Int, $after: String) {\n    organization(id: $id) {\n      id\n      conversation(id: $conversationId) {\n        id\n        messages(first: $first, after: $after) {\n          edges {\n            cursor\n            node {\n              ...InboxMessage\n            }\n          }\n          pageInfo {\n            hasNextPage\n            endCursor\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query ConversationOlderMessages($id: ID!, $conversationId: ID!, $first: Int, $after: String) {\n    organization(id: $id) {\n      id\n      conversation(id: $conversationId) {\n        id\n        messages(first: $first, after: $after) {\n          edges {\n            cursor\n            node {\n              ...InboxMessage\n            }\n          }\n          pageInfo {\n            hasNextPage\n            endCursor\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription InboxEvents($organizationId: ID!) {\n    inboxEvents(organizationId: $organizationId) {\n      kind\n      conversation {\n        ...ConversationSummary\n      }\n      message {\n        ...InboxMessage\n      }\n    }\n  }\n"): (typeof documents)["\n  subscription InboxEvents($organizationId: ID!) {\n    inboxEvents(organizationId: $organizationId) {\n      kind\n      conversation {\n        ...ConversationSummary\n      }\n      message {\n        ...InboxMessage\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SendMessage($input: SendMessageInput!) {\n    sendMessage(input: $input) {\n      ...InboxMessage\n    }\n  }\n"): (typeof documents)["\n  mutation SendMessage($input: SendMessageInput!) {\n    sendMessage(input: $input) {\n      ...InboxMessage\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ReactToMessage($input: ReactToMessageInput!) {\n    reactToMessage(input: $input) {\n      ...InboxMessage\n    }\n  }\n"): (typeof documents)["\n  mutation ReactToMessage($input: ReactToMessageInput!) {\n    reactToMessage(input: $input) {\n      ...InboxMessage\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RetryMessage($input: RetryMessageInput!) {\n    retryMessage(input: $input) {\n      ...InboxMessage\n    }\n  }\n"): (typeof documents)["\n  mutation RetryMessage($input: RetryMessageInput!) {\n    retryMessage(input: $input) {\n      ...InboxMessage\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation MarkConversationRead($input: ConversationRefInput!) {\n    markConversationRead(input: $input) {\n      ...ConversationSummary\n    }\n  }\n"): (typeof documents)["\n  mutation MarkConversationRead($input: ConversationRefInput!) {\n    markConversationRead(input: $input) {\n      ...ConversationSummary\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AssignConversation($input: AssignConversationInput!) {\n    assignConversation(input: $input) {\n      ...ConversationSummary\n    }\n  }\n"): (typeof documents)["\n  mutation AssignConversation($input: AssignConversationInput!) {\n    assignConversation(input: $input) {\n      ...ConversationSummary\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetConversationStatus($input: SetConversationStatusInput!) {\n    setConversationStatus(input: $input) {\n      ...ConversationSummary\n    }\n  }\n"): (typeof documents)["\n  mutation SetConversationStatus($input: SetConversationStatusInput!) {\n    setConversationStatus(input: $input) {\n      ...ConversationSummary\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetConversationLabels($input: SetConversationLabelsInput!) {\n    setConversationLabels(input: $input) {\n      ...ConversationSummary\n    }\n  }\n"): (typeof documents)["\n  mutation SetConversationLabels($input: SetConversationLabelsInput!) {\n    setConversationLabels(input: $input) {\n      ...ConversationSummary\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AddNote($input: AddNoteInput!) {\n    addNote(input: $input) {\n      ...ConversationNote\n    }\n  }\n"): (typeof documents)["\n  mutation AddNote($input: AddNoteInput!) {\n    addNote(input: $input) {\n      ...ConversationNote\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateCannedResponse($input: CreateCannedResponseInput!) {\n    createCannedResponse(input: $input) {\n      id\n      shortcut\n      body\n    }\n  }\n"): (typeof documents)["\n  mutation CreateCannedResponse($input: CreateCannedResponseInput!) {\n    createCannedResponse(input: $input) {\n      id\n      shortcut\n      body\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteCannedResponse($input: DeleteCannedResponseInput!) {\n    deleteCannedResponse(input: $input)\n  }\n"): (typeof documents)["\n  mutation DeleteCannedResponse($input: DeleteCannedResponseInput!) {\n    deleteCannedResponse(input: $input)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query InboxTemplates($id: ID!, $phoneNumberId: ID) {\n    organization(id: $id) {\n      id\n      templates(phoneNumberId: $phoneNumberId) {\n        id\n        name\n        language\n        category\n        status\n        bodyText\n        parameterCount\n      }\n    }\n  }\n"): (typeof documents)["\n  query InboxTemplates($id: ID!, $phoneNumberId: ID) {\n    organization(id: $id) {\n      id\n      templates(phoneNumberId: $phoneNumberId) {\n        id\n        name\n        language\n        category\n        status\n        bodyText\n        parameterCount\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query InvitationPreview($token: String!) {\n    invitation(token: $token) {\n      organizationName\n      email\n      role\n      status\n      expiresAt\n    }\n  }\n"): (typeof documents)["\n  query InvitationPreview($token: String!) {\n    invitation(token: $token) {\n      organizationName\n      email\n      role\n      status\n      expiresAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AcceptInvitation($input: AcceptInvitationInput!) {\n    acceptInvitation(input: $input) {\n      role\n      organization {\n        id\n        name\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation AcceptInvitation($input: AcceptInvitationInput!) {\n    acceptInvitation(input: $input) {\n      role\n      organization {\n        id\n        name\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query OrganizationMembers($id: ID!) {\n    organization(id: $id) {\n      id\n      members(first: 100) {\n        nodes {\n          role\n          joinedAt\n          user {\n            id\n            name\n            email\n          }\n        }\n        pageInfo {\n          hasNextPage\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query OrganizationMembers($id: ID!) {\n    organization(id: $id) {\n      id\n      members(first: 100) {\n        nodes {\n          role\n          joinedAt\n          user {\n            id\n            name\n            email\n          }\n        }\n        pageInfo {\n          hasNextPage\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query OrganizationInvitations($id: ID!) {\n    organization(id: $id) {\n      id\n      invitations(first: 100) {\n        nodes {\n          id\n          email\n          role\n          status\n          createdAt\n          expiresAt\n          invitedBy {\n            id\n            name\n            email\n          }\n        }\n        pageInfo {\n          hasNextPage\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query OrganizationInvitations($id: ID!) {\n    organization(id: $id) {\n      id\n      invitations(first: 100) {\n        nodes {\n          id\n          email\n          role\n          status\n          createdAt\n          expiresAt\n          invitedBy {\n            id\n            name\n            email\n          }\n        }\n        pageInfo {\n          hasNextPage\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation InviteMember($input: InviteMemberInput!) {\n    inviteMember(input: $input) {\n      acceptUrl\n      invitation {\n        id\n        email\n        role\n        status\n        expiresAt\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation InviteMember($input: InviteMemberInput!) {\n    inviteMember(input: $input) {\n      acceptUrl\n      invitation {\n        id\n        email\n        role\n        status\n        expiresAt\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RevokeInvitation($input: RevokeInvitationInput!) {\n    revokeInvitation(input: $input) {\n      id\n      status\n    }\n  }\n"): (typeof documents)["\n  mutation RevokeInvitation($input: RevokeInvitationInput!) {\n    revokeInvitation(input: $input) {\n      id\n      status\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ChangeMemberRole($input: ChangeMemberRoleInput!) {\n    changeMemberRole(input: $input) {\n      role\n      user {\n        id\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation ChangeMemberRole($input: ChangeMemberRoleInput!) {\n    changeMemberRole(input: $input) {\n      role\n      user {\n        id\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RemoveMember($input: RemoveMemberInput!) {\n    removeMember(input: $input)\n  }\n"): (typeof documents)["\n  mutation RemoveMember($input: RemoveMemberInput!) {\n    removeMember(input: $input)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LeaveOrganization($input: LeaveOrganizationInput!) {\n    leaveOrganization(input: $input)\n  }\n"): (typeof documents)["\n  mutation LeaveOrganization($input: LeaveOrganizationInput!) {\n    leaveOrganization(input: $input)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation TransferOwnership($input: TransferOwnershipInput!) {\n    transferOwnership(input: $input) {\n      id\n      viewerRole\n    }\n  }\n"): (typeof documents)["\n  mutation TransferOwnership($input: TransferOwnershipInput!) {\n    transferOwnership(input: $input) {\n      id\n      viewerRole\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateOrganization($input: CreateOrganizationInput!) {\n    createOrganization(input: $input) {\n      id\n      name\n      viewerRole\n    }\n  }\n"): (typeof documents)["\n  mutation CreateOrganization($input: CreateOrganizationInput!) {\n    createOrganization(input: $input) {\n      id\n      name\n      viewerRole\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RenameOrganization($input: RenameOrganizationInput!) {\n    renameOrganization(input: $input) {\n      id\n      name\n    }\n  }\n"): (typeof documents)["\n  mutation RenameOrganization($input: RenameOrganizationInput!) {\n    renameOrganization(input: $input) {\n      id\n      name\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query OrganizationOverview($id: ID!) {\n    organization(id: $id) {\n      id\n      members(first: 100) {\n        nodes {\n          role\n          user {\n            id\n          }\n        }\n        pageInfo {\n          hasNextPage\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query OrganizationOverview($id: ID!) {\n    organization(id: $id) {\n      id\n      members(first: 100) {\n        nodes {\n          role\n          user {\n            id\n          }\n        }\n        pageInfo {\n          hasNextPage\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query OrganizationSetup($id: ID!) {\n    organization(id: $id) {\n      id\n      invitations(first: 1) {\n        nodes {\n          id\n        }\n      }\n      apiTokens(first: 1) {\n        nodes {\n          id\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query OrganizationSetup($id: ID!) {\n    organization(id: $id) {\n      id\n      invitations(first: 1) {\n        nodes {\n          id\n        }\n      }\n      apiTokens(first: 1) {\n        nodes {\n          id\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment SegmentFilterParts on SegmentFilter {\n    tags {\n      allOf\n      anyOf\n      noneOf\n    }\n    fields {\n      key\n      operator\n      value\n    }\n    countries\n    marketing\n    activity {\n      direction\n      operator\n      at\n      days\n    }\n  }\n"): (typeof documents)["\n  fragment SegmentFilterParts on SegmentFilter {\n    tags {\n      allOf\n      anyOf\n      noneOf\n    }\n    fields {\n      key\n      operator\n      value\n    }\n    countries\n    marketing\n    activity {\n      direction\n      operator\n      at\n      days\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Segments($id: ID!) {\n    organization(id: $id) {\n      id\n      segments {\n        id\n        name\n        contactCount\n        contactsCsvUrl\n        updatedAt\n      }\n    }\n  }\n"): (typeof documents)["\n  query Segments($id: ID!) {\n    organization(id: $id) {\n      id\n      segments {\n        id\n        name\n        contactCount\n        contactsCsvUrl\n        updatedAt\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Segment($id: ID!, $segmentId: ID!) {\n    organization(id: $id) {\n      id\n      segment(id: $segmentId) {\n        id\n        name\n        filter {\n          ...SegmentFilterParts\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Segment($id: ID!, $segmentId: ID!) {\n    organization(id: $id) {\n      id\n      segment(id: $segmentId) {\n        id\n        name\n        filter {\n          ...SegmentFilterParts\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SegmentFields($id: ID!) {\n    organization(id: $id) {\n      id\n      contactFields {\n        key\n        label\n        kind\n        choices\n      }\n    }\n  }\n"): (typeof documents)["\n  query SegmentFields($id: ID!) {\n    organization(id: $id) {\n      id\n      contactFields {\n        key\n        label\n        kind\n        choices\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SegmentPreview($organizationId: ID!, $filter: SegmentFilterInput!) {\n    segmentPreview(organizationId: $organizationId, filter: $filter, first: 10) {\n      contactCount\n      contacts {\n        id\n        phone\n        waId\n        displayName\n        country\n        tags\n        marketing\n      }\n    }\n  }\n"): (typeof documents)["\n  query SegmentPreview($organizationId: ID!, $filter: SegmentFilterInput!) {\n    segmentPreview(organizationId: $organizationId, filter: $filter, first: 10) {\n      contactCount\n      contacts {\n        id\n        phone\n        waId\n        displayName\n        country\n        tags\n        marketing\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateSegment($input: CreateSegmentInput!) {\n    createSegment(input: $input) {\n      id\n      name\n    }\n  }\n"): (typeof documents)["\n  mutation CreateSegment($input: CreateSegmentInput!) {\n    createSegment(input: $input) {\n      id\n      name\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateSegment($input: UpdateSegmentInput!) {\n    updateSegment(input: $input) {\n      id\n      name\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateSegment($input: UpdateSegmentInput!) {\n    updateSegment(input: $input) {\n      id\n      name\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteSegment($input: DeleteSegmentInput!) {\n    deleteSegment(input: $input)\n  }\n"): (typeof documents)["\n  mutation DeleteSegment($input: DeleteSegmentInput!) {\n    deleteSegment(input: $input)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query WhatsAppTemplates($id: ID!, $phoneNumberId: ID) {\n    organization(id: $id) {\n      id\n      templates(phoneNumberId: $phoneNumberId) {\n        ...WhatsAppTemplate\n      }\n    }\n  }\n"): (typeof documents)["\n  query WhatsAppTemplates($id: ID!, $phoneNumberId: ID) {\n    organization(id: $id) {\n      id\n      templates(phoneNumberId: $phoneNumberId) {\n        ...WhatsAppTemplate\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment WhatsAppTemplate on MessageTemplate {\n    id\n    name\n    language\n    category\n    status\n    qualityScore\n    rejectedReason\n    bodyText\n    parameterCount\n    updatedAt\n  }\n"): (typeof documents)["\n  fragment WhatsAppTemplate on MessageTemplate {\n    id\n    name\n    language\n    category\n    status\n    qualityScore\n    rejectedReason\n    bodyText\n    parameterCount\n    updatedAt\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SyncTemplates($input: TemplatesRefInput!) {\n    syncTemplates(input: $input) {\n      ...WhatsAppTemplate\n    }\n  }\n"): (typeof documents)["\n  mutation SyncTemplates($input: TemplatesRefInput!) {\n    syncTemplates(input: $input) {\n      ...WhatsAppTemplate\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateTemplate($input: CreateTemplateInput!) {\n    createTemplate(input: $input) {\n      ...WhatsAppTemplate\n    }\n  }\n"): (typeof documents)["\n  mutation CreateTemplate($input: CreateTemplateInput!) {\n    createTemplate(input: $input) {\n      ...WhatsAppTemplate\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteTemplate($input: DeleteTemplateInput!) {\n    deleteTemplate(input: $input)\n  }\n"): (typeof documents)["\n  mutation DeleteTemplate($input: DeleteTemplateInput!) {\n    deleteTemplate(input: $input)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query BusinessProfile($id: ID!, $phoneNumberId: ID!) {\n    businessProfile(organizationId: $id, phoneNumberId: $phoneNumberId) {\n      ...WhatsAppBusinessProfile\n    }\n  }\n"): (typeof documents)["\n  query BusinessProfile($id: ID!, $phoneNumberId: ID!) {\n    businessProfile(organizationId: $id, phoneNumberId: $phoneNumberId) {\n      ...WhatsAppBusinessProfile\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment WhatsAppBusinessProfile on BusinessProfile {\n    about\n    address\n    description\n    email\n    vertical\n    websites\n  }\n"): (typeof documents)["\n  fragment WhatsAppBusinessProfile on BusinessProfile {\n    about\n    address\n    description\n    email\n    vertical\n    websites\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateBusinessProfile($input: UpdateBusinessProfileInput!) {\n    updateBusinessProfile(input: $input) {\n      ...WhatsAppBusinessProfile\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateBusinessProfile($input: UpdateBusinessProfileInput!) {\n    updateBusinessProfile(input: $input) {\n      ...WhatsAppBusinessProfile\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query WhatsAppNumbers($id: ID!) {\n    organization(id: $id) {\n      id\n      phoneNumbers {\n        id\n        phoneNumberId\n        displayPhoneNumber\n        verifiedName\n        qualityRating\n        status\n        nameStatus\n        messagingLimit\n        throughputLevel\n        refreshedAt\n        disconnectedAt\n      }\n    }\n  }\n"): (typeof documents)["\n  query WhatsAppNumbers($id: ID!) {\n    organization(id: $id) {\n      id\n      phoneNumbers {\n        id\n        phoneNumberId\n        displayPhoneNumber\n        verifiedName\n        qualityRating\n        status\n        nameStatus\n        messagingLimit\n        throughputLevel\n        refreshedAt\n        disconnectedAt\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConnectWhatsApp($input: ConnectWhatsAppInput!) {\n    connectWhatsApp(input: $input) {\n      id\n      phoneNumberId\n      displayPhoneNumber\n      verifiedName\n    }\n  }\n"): (typeof documents)["\n  mutation ConnectWhatsApp($input: ConnectWhatsAppInput!) {\n    connectWhatsApp(input: $input) {\n      id\n      phoneNumberId\n      displayPhoneNumber\n      verifiedName\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CompleteEmbeddedSignup($input: CompleteEmbeddedSignupInput!) {\n    completeEmbeddedSignup(input: $input) {\n      id\n      phoneNumberId\n      displayPhoneNumber\n      verifiedName\n    }\n  }\n"): (typeof documents)["\n  mutation CompleteEmbeddedSignup($input: CompleteEmbeddedSignupInput!) {\n    completeEmbeddedSignup(input: $input) {\n      id\n      phoneNumberId\n      displayPhoneNumber\n      verifiedName\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RefreshPhoneNumber($input: PhoneNumberRefInput!) {\n    refreshPhoneNumber(input: $input) {\n      id\n      displayPhoneNumber\n      verifiedName\n      qualityRating\n      status\n      nameStatus\n      messagingLimit\n      throughputLevel\n      refreshedAt\n    }\n  }\n"): (typeof documents)["\n  mutation RefreshPhoneNumber($input: PhoneNumberRefInput!) {\n    refreshPhoneNumber(input: $input) {\n      id\n      displayPhoneNumber\n      verifiedName\n      qualityRating\n      status\n      nameStatus\n      messagingLimit\n      throughputLevel\n      refreshedAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DisconnectPhoneNumber($input: PhoneNumberRefInput!) {\n    disconnectPhoneNumber(input: $input) {\n      id\n      status\n      disconnectedAt\n    }\n  }\n"): (typeof documents)["\n  mutation DisconnectPhoneNumber($input: PhoneNumberRefInput!) {\n    disconnectPhoneNumber(input: $input) {\n      id\n      status\n      disconnectedAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query InboxUnreadCount($id: ID!) {\n    organization(id: $id) {\n      id\n      unreadCount\n    }\n  }\n"): (typeof documents)["\n  query InboxUnreadCount($id: ID!) {\n    organization(id: $id) {\n      id\n      unreadCount\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription InboxUnreadEvents($organizationId: ID!) {\n    inboxEvents(organizationId: $organizationId) {\n      kind\n    }\n  }\n"): (typeof documents)["\n  subscription InboxUnreadEvents($organizationId: ID!) {\n    inboxEvents(organizationId: $organizationId) {\n      kind\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Viewer {\n    viewer {\n      kind\n      user {\n        id\n        name\n        email\n      }\n      memberships {\n        role\n        organization {\n          id\n          name\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Viewer {\n    viewer {\n      kind\n      user {\n        id\n        name\n        email\n      }\n      memberships {\n        role\n        organization {\n          id\n          name\n        }\n      }\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;