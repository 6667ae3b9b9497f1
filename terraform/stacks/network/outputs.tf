output "vpc_id" {
  description = "ID of the VPC."
  value       = module.vpc.vpc_id
}

output "vpc_cidr_block" {
  description = "CIDR block of the VPC."
  value       = module.vpc.vpc_cidr_block
}

output "azs" {
  description = "Availability zones used, in subnet order."
  value       = module.vpc.azs
}

output "public_subnet_ids" {
  description = "IDs of the public subnets (AZ order)."
  value       = module.vpc.public_subnet_ids
}

output "private_subnet_ids" {
  description = "IDs of the private subnets (AZ order)."
  value       = module.vpc.private_subnet_ids
}

output "public_route_table_ids" {
  description = "IDs of the public route tables."
  value       = module.vpc.public_route_table_ids
}

output "private_route_table_ids" {
  description = "IDs of the private route tables (one per AZ)."
  value       = module.vpc.private_route_table_ids
}

output "nat_gateway_ids" {
  description = "IDs of the NAT gateways."
  value       = module.vpc.nat_gateway_ids
}

output "nat_public_ips" {
  description = "Elastic IPs of the NAT gateways."
  value       = module.vpc.nat_public_ips
}

output "s3_endpoint_id" {
  description = "ID of the S3 gateway VPC endpoint."
  value       = module.vpc.s3_endpoint_id
}

output "igw_id" {
  description = "ID of the internet gateway."
  value       = module.vpc.igw_id
}

output "cluster_name" {
  description = "EKS cluster name the subnets are tagged for."
  value       = local.cluster_name
}
