"""tacitus.validators"""
