data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition

  oidc_host = "token.actions.githubusercontent.com"
  oidc_url  = "https://${local.oidc_host}"
  audience  = "sts.amazonaws.com"

  # AWS no longer uses the thumbprint to verify GitHub's OIDC endpoint (it
  # trusts its own CA library for it), but aws provider 5.x still requires the
  # argument. These are GitHub's two published intermediate-CA thumbprints.
  oidc_thumbprints = [
    "6938fd4d98bab03faadb97b34396831e3780aea1",
    "1c58a3a8518e8759bf075b76b750d4f2df264fcd",
  ]

  oidc_provider_arn = var.create_oidc_provider ? aws_iam_openid_connect_provider.github[0].arn : data.aws_iam_openid_connect_provider.github[0].arn

  plan_subjects  = [for s in var.plan_subjects : "repo:${var.github_repository}:${s}"]
  apply_subjects = [for s in var.apply_subjects : "repo:${var.github_repository}:${s}"]

  plan_role_name  = "${var.name_prefix}-github-plan"
  apply_role_name = "${var.name_prefix}-github-apply"

  iam_arn_prefix = "arn:${local.partition}:iam::${local.account_id}"
}

################################################################################
# GitHub Actions OIDC identity provider (account-global)
################################################################################

resource "aws_iam_openid_connect_provider" "github" {
  count = var.create_oidc_provider ? 1 : 0

  url             = local.oidc_url
  client_id_list  = [local.audience]
  thumbprint_list = local.oidc_thumbprints
  tags            = merge(var.tags, { Name = "github-actions" })
}

data "aws_iam_openid_connect_provider" "github" {
  count = var.create_oidc_provider ? 0 : 1

  url = local.oidc_url
}

################################################################################
# Trust policies: exact aud + exact sub (StringEquals only, never StringLike)
################################################################################

locals {
  plan_trust_policy = {
    Version = "2012-10-17"
    Statement = [{
      Sid       = "GitHubActionsPlan"
      Effect    = "Allow"
      Principal = { Federated = local.oidc_provider_arn }
      Action    = "sts:AssumeRoleWithWebIdentity"
      Condition = {
        StringEquals = {
          "${local.oidc_host}:aud" = local.audience
          "${local.oidc_host}:sub" = local.plan_subjects
        }
      }
    }]
  }

  apply_trust_policy = {
    Version = "2012-10-17"
    Statement = [{
      Sid       = "GitHubActionsApply"
      Effect    = "Allow"
      Principal = { Federated = local.oidc_provider_arn }
      Action    = "sts:AssumeRoleWithWebIdentity"
      Condition = {
        StringEquals = {
          "${local.oidc_host}:aud" = local.audience
          "${local.oidc_host}:sub" = local.apply_subjects
        }
      }
    }]
  }
}

################################################################################
# State access policies
################################################################################

locals {
  # Plan: read any state object, but write/delete only S3 lock files.
  plan_state_policy = {
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "ListStateBucket"
        Effect   = "Allow"
        Action   = "s3:ListBucket"
        Resource = var.state_bucket_arn
      },
      {
        Sid      = "ReadStateObjects"
        Effect   = "Allow"
        Action   = "s3:GetObject"
        Resource = "${var.state_bucket_arn}/*"
      },
      {
        Sid      = "ManageS3LockFiles"
        Effect   = "Allow"
        Action   = ["s3:PutObject", "s3:DeleteObject"]
        Resource = "${var.state_bucket_arn}/*.tflock"
      },
      {
        Sid      = "DynamoDBStateLock"
        Effect   = "Allow"
        Action   = ["dynamodb:DescribeTable", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem"]
        Resource = var.lock_table_arn
      },
      {
        Sid      = "StateKeyUse"
        Effect   = "Allow"
        Action   = ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"]
        Resource = var.state_kms_key_arn
      },
    ]
  }

  apply_state_policy = {
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "ListStateBucket"
        Effect   = "Allow"
        Action   = "s3:ListBucket"
        Resource = var.state_bucket_arn
      },
      {
        Sid      = "ReadWriteStateObjects"
        Effect   = "Allow"
        Action   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
        Resource = "${var.state_bucket_arn}/*"
      },
      {
        Sid      = "DynamoDBStateLock"
        Effect   = "Allow"
        Action   = ["dynamodb:DescribeTable", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem"]
        Resource = var.lock_table_arn
      },
      {
        Sid      = "StateKeyUse"
        Effect   = "Allow"
        Action   = ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:DescribeKey"]
        Resource = var.state_kms_key_arn
      },
    ]
  }
}

################################################################################
# Platform policy for the apply role
################################################################################

locals {
  managed_iam_resources = [
    "${local.iam_arn_prefix}:role/${var.managed_iam_name_prefix}-*",
    "${local.iam_arn_prefix}:policy/${var.managed_iam_name_prefix}-*",
    "${local.iam_arn_prefix}:instance-profile/${var.managed_iam_name_prefix}-*",
    "${local.iam_arn_prefix}:oidc-provider/*",
  ]

  apply_platform_policy = {
    Version = "2012-10-17"
    Statement = [
      {
        Sid    = "PlatformServices"
        Effect = "Allow"
        Action = [
          "ec2:*",
          "eks:*",
          "elasticloadbalancing:*",
          "autoscaling:*",
          "route53:*",
          "acm:*",
          "logs:*",
        ]
        Resource = "*"
      },
      {
        Sid      = "ReadEksOptimizedAmiParameters"
        Effect   = "Allow"
        Action   = ["ssm:GetParameter", "ssm:GetParameters"]
        Resource = "arn:${local.partition}:ssm:*::parameter/aws/service/eks/*"
      },
      {
        Sid      = "KmsCreateAndList"
        Effect   = "Allow"
        Action   = ["kms:CreateKey", "kms:ListKeys", "kms:ListAliases"]
        Resource = "*"
      },
      {
        Sid    = "KmsManageAccountKeys"
        Effect = "Allow"
        Action = [
          "kms:DescribeKey",
          "kms:GetKeyPolicy",
          "kms:PutKeyPolicy",
          "kms:GetKeyRotationStatus",
          "kms:EnableKeyRotation",
          "kms:ListResourceTags",
          "kms:TagResource",
          "kms:UntagResource",
          "kms:ScheduleKeyDeletion",
          "kms:CreateGrant",
          "kms:Encrypt",
          "kms:Decrypt",
          "kms:GenerateDataKey*",
        ]
        Resource = "arn:${local.partition}:kms:*:${local.account_id}:key/*"
      },
      {
        Sid    = "KmsManageProjectAliases"
        Effect = "Allow"
        Action = ["kms:CreateAlias", "kms:UpdateAlias", "kms:DeleteAlias"]
        Resource = [
          "arn:${local.partition}:kms:*:${local.account_id}:alias/${var.managed_iam_name_prefix}-*",
          "arn:${local.partition}:kms:*:${local.account_id}:key/*",
        ]
      },
      {
        Sid      = "IamRead"
        Effect   = "Allow"
        Action   = ["iam:GetRole", "iam:GetRolePolicy", "iam:GetPolicy", "iam:GetPolicyVersion", "iam:GetInstanceProfile", "iam:GetOpenIDConnectProvider", "iam:ListRoles", "iam:ListPolicies", "iam:ListRolePolicies", "iam:ListAttachedRolePolicies", "iam:ListPolicyVersions", "iam:ListInstanceProfiles", "iam:ListInstanceProfilesForRole", "iam:ListOpenIDConnectProviders", "iam:ListRoleTags", "iam:ListPolicyTags", "iam:ListInstanceProfileTags", "iam:ListOpenIDConnectProviderTags"]
        Resource = "*"
      },
      {
        Sid    = "IamWriteProjectResourcesOnly"
        Effect = "Allow"
        Action = [
          "iam:CreateRole",
          "iam:DeleteRole",
          "iam:UpdateRole",
          "iam:UpdateRoleDescription",
          "iam:UpdateAssumeRolePolicy",
          "iam:AttachRolePolicy",
          "iam:DetachRolePolicy",
          "iam:PutRolePolicy",
          "iam:DeleteRolePolicy",
          "iam:TagRole",
          "iam:UntagRole",
          "iam:CreatePolicy",
          "iam:DeletePolicy",
          "iam:CreatePolicyVersion",
          "iam:DeletePolicyVersion",
          "iam:TagPolicy",
          "iam:UntagPolicy",
          "iam:CreateInstanceProfile",
          "iam:DeleteInstanceProfile",
          "iam:AddRoleToInstanceProfile",
          "iam:RemoveRoleFromInstanceProfile",
          "iam:TagInstanceProfile",
          "iam:UntagInstanceProfile",
          "iam:CreateOpenIDConnectProvider",
          "iam:DeleteOpenIDConnectProvider",
          "iam:UpdateOpenIDConnectProviderThumbprint",
          "iam:AddClientIDToOpenIDConnectProvider",
          "iam:RemoveClientIDFromOpenIDConnectProvider",
          "iam:TagOpenIDConnectProvider",
          "iam:UntagOpenIDConnectProvider",
        ]
        Resource = local.managed_iam_resources
      },
      {
        Sid      = "PassProjectRolesToPlatformServices"
        Effect   = "Allow"
        Action   = "iam:PassRole"
        Resource = "${local.iam_arn_prefix}:role/${var.managed_iam_name_prefix}-*"
        Condition = {
          StringEquals = {
            "iam:PassedToService" = ["eks.amazonaws.com", "ec2.amazonaws.com", "vpc-flow-logs.amazonaws.com"]
          }
        }
      },
      {
        Sid      = "CreatePlatformServiceLinkedRoles"
        Effect   = "Allow"
        Action   = "iam:CreateServiceLinkedRole"
        Resource = "${local.iam_arn_prefix}:role/aws-service-role/*"
        Condition = {
          StringEquals = {
            "iam:AWSServiceName" = [
              "eks.amazonaws.com",
              "eks-nodegroup.amazonaws.com",
              "elasticloadbalancing.amazonaws.com",
              "autoscaling.amazonaws.com",
              "spot.amazonaws.com",
            ]
          }
        }
      },
      {
        # Block the obvious escalation paths: the pipeline must not be able to
        # edit its own GitHub roles or grant admin-level AWS managed policies.
        Sid    = "DenyGitHubRoleTampering"
        Effect = "Deny"
        Action = [
          "iam:DeleteRole",
          "iam:UpdateRole",
          "iam:UpdateAssumeRolePolicy",
          "iam:AttachRolePolicy",
          "iam:DetachRolePolicy",
          "iam:PutRolePolicy",
          "iam:DeleteRolePolicy",
          "iam:TagRole",
          "iam:UntagRole",
          "iam:PassRole",
        ]
        Resource = [
          "${local.iam_arn_prefix}:role/${var.managed_iam_name_prefix}-*-github-plan",
          "${local.iam_arn_prefix}:role/${var.managed_iam_name_prefix}-*-github-apply",
        ]
      },
      {
        Sid      = "DenyAdminManagedPolicyAttachment"
        Effect   = "Deny"
        Action   = "iam:AttachRolePolicy"
        Resource = "*"
        Condition = {
          ArnEquals = {
            "iam:PolicyARN" = [
              "arn:${local.partition}:iam::aws:policy/AdministratorAccess",
              "arn:${local.partition}:iam::aws:policy/IAMFullAccess",
              "arn:${local.partition}:iam::aws:policy/PowerUserAccess",
            ]
          }
        }
      },
    ]
  }
}

################################################################################
# Plan role (pull requests): read-only + state lock
################################################################################

resource "aws_iam_role" "plan" {
  name                 = local.plan_role_name
  description          = "GitHub Actions plan role for ${var.github_repository} (read-only + state lock)"
  assume_role_policy   = jsonencode(local.plan_trust_policy)
  max_session_duration = var.max_session_duration
  tags                 = merge(var.tags, { Name = local.plan_role_name })
}

resource "aws_iam_role_policy_attachment" "plan_read_only" {
  role       = aws_iam_role.plan.name
  policy_arn = "arn:${local.partition}:iam::aws:policy/ReadOnlyAccess"
}

resource "aws_iam_role_policy" "plan_state" {
  name   = "terraform-state"
  role   = aws_iam_role.plan.id
  policy = jsonencode(local.plan_state_policy)
}

################################################################################
# Apply role (protected branch / environment): state read/write + platform
################################################################################

resource "aws_iam_role" "apply" {
  name                 = local.apply_role_name
  description          = "GitHub Actions apply role for ${var.github_repository} (protected refs/environments only)"
  assume_role_policy   = jsonencode(local.apply_trust_policy)
  max_session_duration = var.max_session_duration
  tags                 = merge(var.tags, { Name = local.apply_role_name })
}

resource "aws_iam_role_policy" "apply_state" {
  name   = "terraform-state"
  role   = aws_iam_role.apply.id
  policy = jsonencode(local.apply_state_policy)
}

resource "aws_iam_role_policy" "apply_platform" {
  #checkov:skip=CKV_AWS_290:The apply role deploys the platform (VPC, EKS, ELB, ASG, Route 53, ACM, logs); resource ARNs do not exist before creation, so these service actions cannot be scoped to ARNs. IAM writes are scoped to <project>-* names.
  #checkov:skip=CKV_AWS_289:Permissions-management actions are needed to create KMS keys/policies and EKS access entries for the platform; IAM is restricted to <project>-* resources and admin-policy attachment / self-modification are explicitly denied.
  #checkov:skip=CKV_AWS_287:ec2:* includes ec2:GetPasswordData (Windows only; the platform runs no Windows instances). Enumerating every EC2 action instead is unmaintainable; access is limited to the protected main branch/environment.
  #checkov:skip=CKV_AWS_355:EC2/EKS/ELB/ASG/Route 53/ACM/logs create actions need Resource "*" (ARNs are unknown until creation); KMS key management is scoped to this account's keys and IAM to <project>-* names.
  name   = "platform"
  role   = aws_iam_role.apply.id
  policy = jsonencode(local.apply_platform_policy)
}
