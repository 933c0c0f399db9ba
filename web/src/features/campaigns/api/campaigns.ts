import { graphql } from '@/gql';

export const CampaignStatsPartsFragment = graphql(`
  fragment CampaignStatsParts on CampaignStats {
    audience
    skipped
    queued
    sent
    held
    delivered
    read
    replied
    failed
    unknown
    cancelled
    optedOut
    deliveryRate
    readRate
    replyRate
    skippedByReason {
      key
      label
      count
    }
    failedByCode {
      key
      label
      count
    }
    billableByCategory {
      key
      label
      count
    }
  }
`);

export const CampaignPartsFragment = graphql(`
  fragment CampaignParts on Campaign {
    id
    name
    status
    statusReason
    phoneNumberId
    templateId
    parameters {
      part
      buttonIndex
      placeholder
      field
      text
      fallback
    }
    audience {
      tags
      segmentIds
      contactIds
      importIds
    }
    schedule {
      kind
      at
      date
      time
      every
      weekday
    }
    retryPerUserLimit
    replyWindowHours
    parentId
    createdAt
    updatedAt
    startsAt
    launchedAt
    finishedAt
    stats {
      ...CampaignStatsParts
    }
  }
`);

export const CampaignsDocument = graphql(`
  query Campaigns($id: ID!, $first: Int, $after: String) {
    organization(id: $id) {
      id
      campaigns(first: $first, after: $after) {
        nodes {
          id
          name
          status
          statusReason
          createdAt
          startsAt
          stats {
            audience
            sent
            deliveryRate
            readRate
            replyRate
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

export const CampaignDocument = graphql(`
  query Campaign($id: ID!, $campaignId: ID!) {
    organization(id: $id) {
      id
      campaign(id: $campaignId) {
        ...CampaignParts
        recipientsCsvUrl
      }
    }
  }
`);

export const CampaignTimelineDocument = graphql(`
  query CampaignTimeline($id: ID!, $campaignId: ID!) {
    organization(id: $id) {
      id
      campaign(id: $campaignId) {
        id
        timeline {
          minute
          sent
          delivered
          read
          replied
          failed
        }
      }
    }
  }
`);

export const CampaignEventsDocument = graphql(`
  subscription CampaignEvents($organizationId: ID!, $campaignId: ID!) {
    campaignEvents(organizationId: $organizationId, campaignId: $campaignId) {
      ...CampaignParts
    }
  }
`);

/** What the builder offers: numbers, templates, fields, segments and files kept as audiences. */
export const CampaignBuilderOptionsDocument = graphql(`
  query CampaignBuilderOptions($id: ID!) {
    organization(id: $id) {
      id
      phoneNumbers {
        id
        displayPhoneNumber
        verifiedName
        status
        messagingLimit
        disconnectedAt
      }
      contactFields {
        key
        label
      }
      segments {
        id
        name
        contactCount
      }
      contactImports(first: 50, audiencesOnly: true) {
        nodes {
          id
          fileName
          status
          finishedAt
          records
          options {
            asAudience
          }
        }
      }
    }
  }
`);

/** The templates of the chosen number's account. */
export const CampaignTemplatesDocument = graphql(`
  query CampaignTemplates($id: ID!, $phoneNumberId: ID) {
    organization(id: $id) {
      id
      templates(phoneNumberId: $phoneNumberId) {
        id
        name
        language
        category
        status
        bodyText
      }
    }
  }
`);

export const TemplatePlaceholdersDocument = graphql(`
  query TemplatePlaceholders($id: ID!, $templateId: ID!) {
    organization(id: $id) {
      id
      templatePlaceholders(templateId: $templateId) {
        part
        buttonIndex
        name
        media
      }
    }
  }
`);

export const CampaignPreviewDocument = graphql(`
  query CampaignPreview($id: ID!, $campaignId: ID!) {
    organization(id: $id) {
      id
      campaign(id: $campaignId) {
        id
        preview {
          audience
          queued
          skipped {
            reason
            count
          }
          budget {
            limit
            used
            left
            needed
            covers
          }
          samples {
            contactId
            name
            address
            skipReason
            detail
            text
          }
        }
      }
    }
  }
`);

export const CampaignPreviewForDocument = graphql(`
  query CampaignPreviewFor($id: ID!, $campaignId: ID!, $contactId: ID!) {
    organization(id: $id) {
      id
      campaign(id: $campaignId) {
        id
        previewFor(contactId: $contactId) {
          contactId
          name
          address
          skipReason
          detail
          text
        }
      }
    }
  }
`);

/** Contacts found by name or number, for the review step's "preview for a contact". */
export const CampaignContactSearchDocument = graphql(`
  query CampaignContactSearch($id: ID!, $search: String!) {
    organization(id: $id) {
      id
      contacts(filter: { search: $search }, first: 8) {
        nodes {
          id
          phone
          waId
          displayName
        }
      }
    }
  }
`);

export const CampaignRecipientsDocument = graphql(`
  query CampaignRecipients($id: ID!, $campaignId: ID!, $first: Int, $after: String, $filter: CampaignRecipientFilter) {
    organization(id: $id) {
      id
      campaign(id: $campaignId) {
        id
        recipients(first: $first, after: $after, filter: $filter) {
          nodes {
            id
            contactId
            name
            address
            status
            skipReason
            attempts
            errorCode
            errorText
            sentAt
            deliveredAt
            readAt
            repliedAt
            failedAt
            optedOutAt
            pricingCategory
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

export const CreateCampaignDocument = graphql(`
  mutation CreateCampaign($input: CampaignInput!) {
    createCampaign(input: $input) {
      ...CampaignParts
    }
  }
`);

export const UpdateCampaignDocument = graphql(`
  mutation UpdateCampaign($campaignId: ID!, $input: CampaignInput!) {
    updateCampaign(campaignId: $campaignId, input: $input) {
      ...CampaignParts
    }
  }
`);

export const DeleteCampaignDocument = graphql(`
  mutation DeleteCampaign($organizationId: ID!, $campaignId: ID!) {
    deleteCampaign(organizationId: $organizationId, campaignId: $campaignId)
  }
`);

export const LaunchCampaignDocument = graphql(`
  mutation LaunchCampaign($organizationId: ID!, $campaignId: ID!) {
    launchCampaign(organizationId: $organizationId, campaignId: $campaignId) {
      ...CampaignParts
    }
  }
`);

export const PauseCampaignDocument = graphql(`
  mutation PauseCampaign($organizationId: ID!, $campaignId: ID!) {
    pauseCampaign(organizationId: $organizationId, campaignId: $campaignId) {
      ...CampaignParts
    }
  }
`);

export const ResumeCampaignDocument = graphql(`
  mutation ResumeCampaign($organizationId: ID!, $campaignId: ID!) {
    resumeCampaign(organizationId: $organizationId, campaignId: $campaignId) {
      ...CampaignParts
    }
  }
`);

export const CancelCampaignDocument = graphql(`
  mutation CancelCampaign($organizationId: ID!, $campaignId: ID!) {
    cancelCampaign(organizationId: $organizationId, campaignId: $campaignId) {
      ...CampaignParts
    }
  }
`);

export const DuplicateCampaignDocument = graphql(`
  mutation DuplicateCampaign($organizationId: ID!, $campaignId: ID!) {
    duplicateCampaign(organizationId: $organizationId, campaignId: $campaignId) {
      id
      name
      status
    }
  }
`);

export const RetryFailedRecipientsDocument = graphql(`
  mutation RetryFailedRecipients($organizationId: ID!, $campaignId: ID!) {
    retryFailedRecipients(organizationId: $organizationId, campaignId: $campaignId) {
      ...CampaignParts
    }
  }
`);
