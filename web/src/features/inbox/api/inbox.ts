import { graphql } from '@/gql';

export const ConversationSummaryFragment = graphql(`
  fragment ConversationSummary on Conversation {
    id
    status
    labels
    unreadCount
    lastMessageAt
    lastMessagePreview
    handler
    windowOpenUntil
    windowOpen
    contact {
      id
      waId
      phone
      userId
      username
      profileName
    }
    phoneNumber {
      id
      phoneNumberId
      displayPhoneNumber
      verifiedName
      disconnectedAt
    }
    assignee {
      id
      name
      email
    }
  }
`);

/** Who answers the conversation and why it changed hands (the list's summary holds only `handler`). */
export const ConversationHandlingFragment = graphql(`
  fragment ConversationHandling on Conversation {
    id
    handler
    agentId
    handoffReason
    handoffAt
  }
`);

export const InboxMessageFragment = graphql(`
  fragment InboxMessage on Message {
    id
    conversationId
    direction
    wamid
    kind
    text
    content
    status
    statusAt
    error {
      code
      text
    }
    replyToWamid
    agentId
    aiTurn {
      id
      outcome
      model
      handoffReason
      sources {
        chunkId
        sourceId
        title
        citation
        page
        url
        text
        score
      }
    }
    sentBy {
      id
      name
      email
    }
    sentAt
    media {
      url
      mimeType
      fileName
      size
      status
      error
    }
  }
`);

export const ConversationNoteFragment = graphql(`
  fragment ConversationNote on Note {
    id
    body
    createdAt
    author {
      id
      name
      email
    }
  }
`);

/** What every part of the inbox needs once: numbers, canned responses, people to assign. */
export const InboxSetupDocument = graphql(`
  query InboxSetup($id: ID!) {
    organization(id: $id) {
      id
      phoneNumbers {
        id
        phoneNumberId
        displayPhoneNumber
        verifiedName
        status
        disconnectedAt
      }
      cannedResponses {
        id
        shortcut
        body
      }
      agents {
        id
        name
        enabled
        phoneNumberIds
      }
      members(first: 100) {
        nodes {
          role
          user {
            id
            name
            email
          }
        }
      }
    }
  }
`);

export const InboxConversationsDocument = graphql(`
  query InboxConversations($id: ID!, $filter: ConversationFilterInput, $first: Int, $after: String) {
    organization(id: $id) {
      id
      conversations(filter: $filter, first: $first, after: $after) {
        edges {
          cursor
          node {
            ...ConversationSummary
          }
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  }
`);

export const ConversationThreadDocument = graphql(`
  query ConversationThread($id: ID!, $conversationId: ID!, $first: Int) {
    organization(id: $id) {
      id
      conversation(id: $conversationId) {
        ...ConversationSummary
        ...ConversationHandling
        notes {
          ...ConversationNote
        }
        messages(first: $first) {
          edges {
            cursor
            node {
              ...InboxMessage
            }
          }
          pageInfo {
            hasNextPage
            endCursor
          }
        }
      }
    }
  }
`);

export const ConversationOlderMessagesDocument = graphql(`
  query ConversationOlderMessages($id: ID!, $conversationId: ID!, $first: Int, $after: String) {
    organization(id: $id) {
      id
      conversation(id: $conversationId) {
        id
        messages(first: $first, after: $after) {
          edges {
            cursor
            node {
              ...InboxMessage
            }
          }
          pageInfo {
            hasNextPage
            endCursor
          }
        }
      }
    }
  }
`);

export const InboxEventsDocument = graphql(`
  subscription InboxEvents($organizationId: ID!) {
    inboxEvents(organizationId: $organizationId) {
      kind
      conversation {
        ...ConversationSummary
        ...ConversationHandling
      }
      message {
        ...InboxMessage
      }
    }
  }
`);

export const SendMessageDocument = graphql(`
  mutation SendMessage($input: SendMessageInput!) {
    sendMessage(input: $input) {
      ...InboxMessage
    }
  }
`);

export const ReactToMessageDocument = graphql(`
  mutation ReactToMessage($input: ReactToMessageInput!) {
    reactToMessage(input: $input) {
      ...InboxMessage
    }
  }
`);

export const RetryMessageDocument = graphql(`
  mutation RetryMessage($input: RetryMessageInput!) {
    retryMessage(input: $input) {
      ...InboxMessage
    }
  }
`);

export const MarkConversationReadDocument = graphql(`
  mutation MarkConversationRead($input: ConversationRefInput!) {
    markConversationRead(input: $input) {
      ...ConversationSummary
    }
  }
`);

export const AssignConversationDocument = graphql(`
  mutation AssignConversation($input: AssignConversationInput!) {
    assignConversation(input: $input) {
      ...ConversationSummary
    }
  }
`);

export const SetConversationStatusDocument = graphql(`
  mutation SetConversationStatus($input: SetConversationStatusInput!) {
    setConversationStatus(input: $input) {
      ...ConversationSummary
    }
  }
`);

export const SetConversationLabelsDocument = graphql(`
  mutation SetConversationLabels($input: SetConversationLabelsInput!) {
    setConversationLabels(input: $input) {
      ...ConversationSummary
    }
  }
`);

export const AddNoteDocument = graphql(`
  mutation AddNote($input: AddNoteInput!) {
    addNote(input: $input) {
      ...ConversationNote
    }
  }
`);

export const CreateCannedResponseDocument = graphql(`
  mutation CreateCannedResponse($input: CreateCannedResponseInput!) {
    createCannedResponse(input: $input) {
      id
      shortcut
      body
    }
  }
`);

export const DeleteCannedResponseDocument = graphql(`
  mutation DeleteCannedResponse($input: DeleteCannedResponseInput!) {
    deleteCannedResponse(input: $input)
  }
`);

export const HandConversationToBotDocument = graphql(`
  mutation HandConversationToBot($organizationId: ID!, $conversationId: ID!, $agentId: ID) {
    handConversationToBot(organizationId: $organizationId, conversationId: $conversationId, agentId: $agentId) {
      ...ConversationSummary
      ...ConversationHandling
    }
  }
`);

export const HandConversationToTeamDocument = graphql(`
  mutation HandConversationToTeam($organizationId: ID!, $conversationId: ID!) {
    handConversationToTeam(organizationId: $organizationId, conversationId: $conversationId) {
      ...ConversationSummary
      ...ConversationHandling
    }
  }
`);
