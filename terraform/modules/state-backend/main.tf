data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.name

  kms_key_policy = {
    Version = "2012-10-17"
    Statement = [
      {
        # Default-style key policy: the account (root) administers the key and
        # IAM policies in the account decide who may use it.
        Sid       = "EnableAccountAdministration"
        Effect    = "Allow"
        Principal = { AWS = "arn:${local.partition}:iam::${local.account_id}:root" }
        Action    = "kms:*"
        Resource  = "*"
      },
      {
        # Explicitly document the intended use: S3 (state objects) and
        # DynamoDB (lock table) calling KMS on behalf of principals of this account.
        Sid       = "AllowStateBackendUseViaS3AndDynamoDB"
        Effect    = "Allow"
        Principal = { AWS = "arn:${local.partition}:iam::${local.account_id}:root" }
        Action = [
          "kms:Decrypt",
          "kms:Encrypt",
          "kms:GenerateDataKey*",
          "kms:ReEncrypt*",
          "kms:DescribeKey",
          "kms:CreateGrant",
        ]
        Resource = "*"
        Condition = {
          StringEquals = {
            "kms:CallerAccount" = local.account_id
            "kms:ViaService" = [
              "s3.${local.region}.amazonaws.com",
              "dynamodb.${local.region}.amazonaws.com",
            ]
          }
        }
      },
    ]
  }

  tls_deny_statement = {
    Sid       = "DenyInsecureTransport"
    Effect    = "Deny"
    Principal = "*"
    Action    = "s3:*"
    Resource  = [aws_s3_bucket.this.arn, "${aws_s3_bucket.this.arn}/*"]
    Condition = {
      Bool = { "aws:SecureTransport" = "false" }
    }
  }

  kms_upload_deny_statement = {
    Sid       = "DenyNonKmsEncryptedObjectUploads"
    Effect    = "Deny"
    Principal = "*"
    Action    = "s3:PutObject"
    Resource  = "${aws_s3_bucket.this.arn}/*"
    Condition = {
      StringNotEquals = { "s3:x-amz-server-side-encryption" = "aws:kms" }
    }
  }

  bucket_policy = {
    Version = "2012-10-17"
    Statement = concat(
      var.deny_insecure_transport ? [local.tls_deny_statement] : [],
      var.enforce_kms_encrypted_uploads ? [local.kms_upload_deny_statement] : [],
    )
  }
}

################################################################################
# KMS customer-managed key (state objects + lock table)
################################################################################

resource "aws_kms_key" "this" {
  description             = "Encrypts Terraform state in s3://${var.bucket_name} and the ${var.lock_table_name} lock table"
  deletion_window_in_days = var.kms_deletion_window_in_days
  enable_key_rotation     = true
  policy                  = jsonencode(local.kms_key_policy)
  tags                    = var.tags
}

resource "aws_kms_alias" "this" {
  name          = "alias/${var.kms_key_alias}"
  target_key_id = aws_kms_key.this.key_id
}

################################################################################
# S3 state bucket
################################################################################

resource "aws_s3_bucket" "this" {
  #checkov:skip=CKV_AWS_144:Cross-region replication of a Terraform state bucket is an organisational DR decision; versioning + PITR cover accidental loss.
  #checkov:skip=CKV_AWS_18:Server access logging needs a separate log bucket (and its own bootstrap); CloudTrail data events are the recommended audit trail for state access.
  #checkov:skip=CKV2_AWS_62:Event notifications are not needed for a Terraform state bucket.
  bucket        = var.bucket_name
  force_destroy = var.force_destroy
  tags          = merge(var.tags, { Name = var.bucket_name })
}

resource "aws_s3_bucket_ownership_controls" "this" {
  bucket = aws_s3_bucket.this.id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_public_access_block" "this" {
  bucket = aws_s3_bucket.this.id

  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_versioning" "this" {
  bucket = aws_s3_bucket.this.id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
  bucket = aws_s3_bucket.this.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.this.arn
    }
    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "this" {
  bucket = aws_s3_bucket.this.id

  rule {
    id     = "expire-noncurrent-state-versions"
    status = "Enabled"

    filter {}

    noncurrent_version_expiration {
      noncurrent_days = var.noncurrent_version_expiration_days
    }

    abort_incomplete_multipart_upload {
      days_after_initiation = var.abort_incomplete_multipart_upload_days
    }
  }

  # Lifecycle rules on noncurrent versions only make sense once versioning is on.
  depends_on = [aws_s3_bucket_versioning.this]
}

resource "aws_s3_bucket_policy" "this" {
  count = var.deny_insecure_transport || var.enforce_kms_encrypted_uploads ? 1 : 0

  bucket = aws_s3_bucket.this.id
  policy = jsonencode(local.bucket_policy)

  # S3 rejects concurrent bucket-level configuration changes; order them.
  depends_on = [aws_s3_bucket_public_access_block.this, aws_s3_bucket_ownership_controls.this]
}

################################################################################
# DynamoDB lock table
################################################################################

resource "aws_dynamodb_table" "lock" {
  name                        = var.lock_table_name
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = "LockID"
  deletion_protection_enabled = var.lock_table_deletion_protection

  attribute {
    name = "LockID"
    type = "S"
  }

  point_in_time_recovery {
    enabled = true
  }

  server_side_encryption {
    enabled     = true
    kms_key_arn = aws_kms_key.this.arn
  }

  tags = merge(var.tags, { Name = var.lock_table_name })
}
