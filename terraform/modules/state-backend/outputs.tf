output "bucket_name" {
  description = "Name of the S3 state bucket."
  value       = aws_s3_bucket.this.id
}

output "bucket_arn" {
  description = "ARN of the S3 state bucket."
  value       = aws_s3_bucket.this.arn
}

output "bucket_region" {
  description = "Region of the S3 state bucket."
  value       = aws_s3_bucket.this.region
}

output "lock_table_name" {
  description = "Name of the DynamoDB lock table."
  value       = aws_dynamodb_table.lock.name
}

output "lock_table_arn" {
  description = "ARN of the DynamoDB lock table."
  value       = aws_dynamodb_table.lock.arn
}

output "kms_key_arn" {
  description = "ARN of the customer-managed KMS key encrypting state and locks."
  value       = aws_kms_key.this.arn
}

output "kms_key_id" {
  description = "ID of the customer-managed KMS key."
  value       = aws_kms_key.this.key_id
}

output "kms_alias_arn" {
  description = "ARN of the KMS key alias."
  value       = aws_kms_alias.this.arn
}

output "kms_alias_name" {
  description = "Name of the KMS key alias (including the \"alias/\" prefix)."
  value       = aws_kms_alias.this.name
}
