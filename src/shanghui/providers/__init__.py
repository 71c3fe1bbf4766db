"""服务商: vetted banks, insurers, hospitals, law firms, training and culture providers
that offer members services."""
