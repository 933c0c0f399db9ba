import { graphql } from '@/gql';

export const KnowledgeSourcePartsFragment = graphql(`
  fragment KnowledgeSourceParts on KnowledgeSource {
    id
    kind
    title
    fileName
    contentType
    size
    url
    crawlDepth
    crawlMaxPages
    recrawlHours
    embeddingError
    language
    status
    statusReason
    progressDone
    progressTotal
    pages
    chunkCount
    pageErrors {
      url
      reason
    }
    createdAt
    ingestedAt
  }
`);

export const KnowledgeSourcesDocument = graphql(`
  query KnowledgeSources($id: ID!) {
    organization(id: $id) {
      id
      knowledgeSources {
        ...KnowledgeSourceParts
      }
    }
  }
`);

export const KnowledgeChunksDocument = graphql(`
  query KnowledgeChunks($id: ID!, $sourceId: ID!, $first: Int, $after: Int) {
    organization(id: $id) {
      id
      knowledgeSource(id: $sourceId) {
        id
        chunks(first: $first, after: $after) {
          items {
            id
            ordinal
            url
            pageTitle
            page
            headingPath
            text
          }
          hasNext
        }
      }
    }
  }
`);

export const AddKnowledgeUrlDocument = graphql(`
  mutation AddKnowledgeUrl($input: AddKnowledgeUrlInput!) {
    addKnowledgeUrl(input: $input) {
      ...KnowledgeSourceParts
    }
  }
`);

export const DeleteKnowledgeSourceDocument = graphql(`
  mutation DeleteKnowledgeSource($organizationId: ID!, $sourceId: ID!) {
    deleteKnowledgeSource(organizationId: $organizationId, sourceId: $sourceId)
  }
`);

export const RecrawlKnowledgeSourceDocument = graphql(`
  mutation RecrawlKnowledgeSource($organizationId: ID!, $sourceId: ID!) {
    recrawlKnowledgeSource(organizationId: $organizationId, sourceId: $sourceId) {
      ...KnowledgeSourceParts
    }
  }
`);
