###############################################################################
# The network the examples deploy Metaflow on: a VPC with two public subnets in
# two availability zones, routed to an internet gateway. Plain aws_* resources,
# so the examples need no registry module. (A module of the examples, not one of
# this repository's Metaflow modules.)
###############################################################################

variable "name" {
  type        = string
  description = "Name of the VPC, and the stem of its other resources' Name tags."
}

variable "cidr_block" {
  type        = string
  description = "The VPC's CIDR block."
  default     = "10.10.0.0/16"
}

variable "public_subnet_cidrs" {
  type        = list(string)
  description = "CIDR blocks of the two public subnets: the modules spread their load balancers, database and Batch instances over exactly two."
  default     = ["10.10.128.0/21", "10.10.136.0/21"]
}

variable "tags" {
  type        = map(string)
  description = "Tags of every resource."
  default     = {}
}

data "aws_availability_zones" "available" {
  state = "available"
}

resource "aws_vpc" "this" {
  cidr_block           = var.cidr_block
  enable_dns_support   = true
  enable_dns_hostnames = true

  tags = merge(var.tags, { Name = var.name })
}

resource "aws_internet_gateway" "this" {
  vpc_id = aws_vpc.this.id

  tags = merge(var.tags, { Name = var.name })
}

resource "aws_subnet" "public" {
  count = length(var.public_subnet_cidrs)

  vpc_id                  = aws_vpc.this.id
  cidr_block              = var.public_subnet_cidrs[count.index]
  availability_zone       = data.aws_availability_zones.available.names[count.index]
  map_public_ip_on_launch = true

  tags = merge(var.tags, { Name = "${var.name}-public-${count.index}" })
}

resource "aws_route_table" "public" {
  vpc_id = aws_vpc.this.id

  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.this.id
  }

  tags = merge(var.tags, { Name = "${var.name}-public" })
}

resource "aws_route_table_association" "public" {
  count = length(aws_subnet.public)

  subnet_id      = aws_subnet.public[count.index].id
  route_table_id = aws_route_table.public.id
}

output "vpc_id" {
  value       = aws_vpc.this.id
  description = "The VPC."
}

output "vpc_cidr_block" {
  value       = aws_vpc.this.cidr_block
  description = "The VPC's CIDR block."
}

output "subnet_ids" {
  value       = aws_subnet.public[*].id
  description = "The two public subnets."
}
