import { graphql } from '@/gql';

export const KnowledgePassagePartsFragment = graphql(`
  fragment KnowledgePassageParts on KnowledgePassage {
    chunkId
    sourceId
    title
    citation
    page
    url
    text
    score
    grounded
  }
`);

export const AgentPartsFragment = graphql(`
  fragment AgentParts on Agent {
    id
    name
    systemPrompt
    tone
    rules
    languages
    model
    temperature
    maxAnswerChars
    knowledgeSourceIds
    phoneNumberIds
    businessHours {
      timeZone
      hours {
        day
        from
        to
      }
    }
    outOfHoursMessage
    handoffAllowed
    handoffKeywords
    handoffOnRequest
    handoffOnNoAnswer
    handoffAfterMisses
    handoffMessage
    debounceMs
    enabled
    pausedReason
    createdAt
    updatedAt
  }
`);

export const AiTurnPartsFragment = graphql(`
  fragment AiTurnParts on AiTurn {
    id
    conversationId
    outcome
    handoffReason
    error
    model
    promptTokens
    completionTokens
    cacheHitTokens
    latencyMs
    costMicros
    createdAt
  }
`);

export const AgentsDocument = graphql(`
  query Agents($id: ID!) {
    organization(id: $id) {
      id
      agents {
        id
        name
        enabled
        pausedReason
        phoneNumberIds
        knowledgeSourceIds
        model
        updatedAt
      }
      phoneNumbers {
        id
        displayPhoneNumber
        verifiedName
      }
      aiUsage {
        month
        replies
        promptTokens
        completionTokens
        costMicros
      }
    }
  }
`);

/** What the editor offers to pick from: the numbers and the knowledge sources. */
export const AgentChoicesDocument = graphql(`
  query AgentChoices($id: ID!) {
    organization(id: $id) {
      id
      phoneNumbers {
        id
        phoneNumberId
        displayPhoneNumber
        verifiedName
        disconnectedAt
      }
      knowledgeSources {
        id
        title
        status
      }
    }
  }
`);

export const AgentDocument = graphql(`
  query Agent($id: ID!, $agentId: ID!, $turns: Int) {
    organization(id: $id) {
      id
      agent(id: $agentId) {
        ...AgentParts
        turns(first: $turns) {
          ...AiTurnParts
        }
      }
    }
  }
`);

export const CreateAgentDocument = graphql(`
  mutation CreateAgent($input: AgentInput!) {
    createAgent(input: $input) {
      ...AgentParts
    }
  }
`);

export const UpdateAgentDocument = graphql(`
  mutation UpdateAgent($agentId: ID!, $input: AgentInput!) {
    updateAgent(agentId: $agentId, input: $input) {
      ...AgentParts
    }
  }
`);

export const DeleteAgentDocument = graphql(`
  mutation DeleteAgent($organizationId: ID!, $agentId: ID!) {
    deleteAgent(organizationId: $organizationId, agentId: $agentId)
  }
`);

export const TestAgentDocument = graphql(`
  mutation TestAgent($organizationId: ID!, $agentId: ID, $message: String!, $history: [AgentTurnInput!]!) {
    testAgent(organizationId: $organizationId, agentId: $agentId, message: $message, history: $history) {
      text
      handoff
      handoffReason
      outcome
      model
      latencyMs
      error
      sources {
        ...KnowledgePassageParts
      }
    }
  }
`);
